package io.mcptunnel.setup;

/**
 * The Tunnels API refused a call: its status, {@code error.type} and {@code error.message}, e.g.
 * {@code POST /v1/tunnels: 409 invalid_request_error: active tunnel limit reached}.
 */
public final class ApiException extends SetupException {
  private final int status;
  private final String errorType;

  public ApiException(String call, int status, String errorType, String apiMessage) {
    super(call + ": " + status + " " + errorType + ": " + apiMessage);
    this.status = status;
    this.errorType = errorType;
  }

  public int status() {
    return status;
  }

  public String errorType() {
    return errorType;
  }
}
