package io.mcptunnel.controlplane.federation;

import io.mcptunnel.common.McptunnelException;

/** An issuer's keys could not be obtained (network, policy, or a malformed document). */
public final class JwksUnavailableException extends McptunnelException {
  public JwksUnavailableException(String message) {
    super(message, true, null);
  }

  public JwksUnavailableException(String message, Throwable cause) {
    super(message, true, cause);
  }
}
