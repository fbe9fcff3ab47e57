package io.mcptunnel.controlplane.tunnels;

/**
 * The error {@code type} strings of the public API's envelope (SPEC §4.1) with their HTTP status,
 * so the HTTP layer maps a service failure 1:1. The public list has no dedicated conflict type, so
 * state conflicts (limit reached, slots full, tunnel archived) are {@code invalid_request_error}
 * with status 409: clients that only read the type still see a request error.
 */
public enum ErrorKind {
  INVALID_REQUEST("invalid_request_error", 400),
  PERMISSION("permission_error", 403),
  NOT_FOUND("not_found_error", 404),
  CONFLICT("invalid_request_error", 409);

  private final String type;
  private final int httpStatus;

  ErrorKind(String type, int httpStatus) {
    this.type = type;
    this.httpStatus = httpStatus;
  }

  public String type() {
    return type;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
