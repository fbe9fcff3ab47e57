package io.mcptunnel.controlplane.tunnels;

import java.util.Objects;

/**
 * A refused Tunnels API request. The message is safe to return to the caller and to audit: it
 * never carries a token or key.
 */
public final class TunnelApiException extends RuntimeException {
  private final ErrorKind kind;

  public TunnelApiException(ErrorKind kind, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public ErrorKind kind() {
    return kind;
  }

  static TunnelApiException invalid(String message) {
    return new TunnelApiException(ErrorKind.INVALID_REQUEST, message);
  }

  static TunnelApiException conflict(String message) {
    return new TunnelApiException(ErrorKind.CONFLICT, message);
  }

  static TunnelApiException notFound(String message) {
    return new TunnelApiException(ErrorKind.NOT_FOUND, message);
  }
}
