package io.mcptunnel.caller;

import io.mcptunnel.common.McptunnelException;

/** The edge refused a stream; the message is its reason (e.g. {@code caller key rejected}). */
public final class StreamRejectedException extends McptunnelException {
  private final int status;

  public StreamRejectedException(int status, String reason) {
    super(reason.isEmpty() ? "stream refused with status " + status : reason, status >= 500, null);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
