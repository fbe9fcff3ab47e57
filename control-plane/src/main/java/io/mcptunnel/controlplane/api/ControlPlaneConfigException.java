package io.mcptunnel.controlplane.api;

import io.mcptunnel.common.McptunnelException;

/** The control-plane configuration file was refused; the message names the field. */
public final class ControlPlaneConfigException extends McptunnelException {
  public ControlPlaneConfigException(String message) {
    super(message);
  }
}
