package io.mcptunnel.controlplane.federation;

import io.mcptunnel.common.McptunnelException;

/** A bearer token was refused; {@link #reason()} is for logs, the caller gets a plain 401. */
public final class InvalidAccessTokenException extends McptunnelException {
  public enum Reason { MALFORMED, WRONG_TYPE, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_ISSUER, EXPIRED, MISSING_CLAIM }

  private final Reason reason;

  InvalidAccessTokenException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
