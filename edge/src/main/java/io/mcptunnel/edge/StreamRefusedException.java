package io.mcptunnel.edge;

import io.mcptunnel.common.McptunnelException;

/** No stream could be opened to the tunnel (no live connector, or the connector could not reach the proxy). */
public final class StreamRefusedException extends McptunnelException {
  public StreamRefusedException(String message) {
    super(message, true, null);
  }
}
