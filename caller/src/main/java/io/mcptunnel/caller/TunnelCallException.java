package io.mcptunnel.caller;

import io.mcptunnel.common.McptunnelException;

/**
 * A session to a tunnel host could not be opened. {@link #status()} is the HTTP status a gateway
 * answers with: 404 for a host of no known tunnel, 502 when the edge or the proxy could not be
 * reached or the proxy's certificate was refused, 503 when the control plane could not be asked for
 * the tunnel's CAs (502 when it refused this caller's credential), or the edge's own status when it
 * refused.
 */
public class TunnelCallException extends McptunnelException {
  private final int status;

  public TunnelCallException(int status, String message, boolean retryable) {
    super(message, retryable, null);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
