package io.mcptunnel.edge.server;

import io.mcptunnel.common.McptunnelException;

/** A configuration the edge refuses to start with; the message names the field and what is expected. */
public final class EdgeConfigException extends McptunnelException {
  public EdgeConfigException(String message) {
    super(message);
  }

  public EdgeConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
