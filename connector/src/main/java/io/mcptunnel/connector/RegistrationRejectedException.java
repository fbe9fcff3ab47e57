package io.mcptunnel.connector;

import io.mcptunnel.common.McptunnelException;

/** The edge refused the connector; the message is the edge's reason, e.g. {@code token rejected: rotated}. */
public final class RegistrationRejectedException extends McptunnelException {
  private final int status;

  public RegistrationRejectedException(int status, String reason) {
    // A refused token or an archived tunnel does not heal by retrying the same token.
    super(reason, status >= 500, null);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
