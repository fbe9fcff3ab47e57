package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.tunnels.TunnelApiException;

/**
 * A request refused by the HTTP layer, carrying what the error envelope needs. The message goes
 * to the caller, so it never carries a credential or a stack trace.
 */
final class ApiError extends RuntimeException {
  static final String INVALID_REQUEST = "invalid_request_error";
  static final String AUTHENTICATION = "authentication_error";
  static final String PERMISSION = "permission_error";
  static final String NOT_FOUND = "not_found_error";
  static final String API_ERROR = "api_error";

  private final int status;
  private final String type;

  ApiError(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  static ApiError invalid(String message) {
    return new ApiError(400, INVALID_REQUEST, message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, NOT_FOUND, message);
  }

  static ApiError of(TunnelApiException e) {
    return new ApiError(e.kind().httpStatus(), e.kind().type(), e.getMessage());
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }
}
