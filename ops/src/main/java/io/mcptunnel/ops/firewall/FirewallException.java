package io.mcptunnel.ops.firewall;

import io.mcptunnel.common.McptunnelException;

/** The rules cannot be made: a host does not resolve, or an input is unusable. One line, no secret. */
public final class FirewallException extends McptunnelException {
  public FirewallException(String message) {
    super(message);
  }
}
