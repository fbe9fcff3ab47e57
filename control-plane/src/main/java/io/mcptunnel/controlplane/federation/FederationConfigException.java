package io.mcptunnel.controlplane.federation;

import io.mcptunnel.common.McptunnelException;

/** A federation issuer or rule failed validation; the message names the field and the expected form. */
public final class FederationConfigException extends McptunnelException {
  public FederationConfigException(String message) {
    super(message);
  }
}
