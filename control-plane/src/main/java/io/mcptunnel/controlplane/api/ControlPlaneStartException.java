package io.mcptunnel.controlplane.api;

import io.mcptunnel.common.McptunnelException;

/** The control plane could not start (database unreachable, port in use, unreadable key file). */
public final class ControlPlaneStartException extends McptunnelException {
  public ControlPlaneStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
