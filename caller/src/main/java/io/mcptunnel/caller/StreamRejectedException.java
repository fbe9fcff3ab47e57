package io.mcptunnel.caller;

/** The edge refused a stream; the message is its reason (e.g. {@code caller key rejected}). */
public final class StreamRejectedException extends TunnelCallException {

  public StreamRejectedException(int status, String reason) {
    super(status, reason.isEmpty() ? "stream refused with status " + status : reason, status >= 500);
  }
}
