package io.mcptunnel.controlplane.federation;

/** The outcome of {@link TokenExchange#exchange}: a grant to mint, or a failure with its precise cause. */
public sealed interface ExchangeResult {

  /** The only message a caller ever sees for a refused credential, whatever the real cause. */
  String AUTHENTICATION_FAILED = "Authentication failed";

  record Success(AccessTokenGrant grant) implements ExchangeResult {}

  /**
   * {@code detail} is for the authentication history and the server log only. {@code publicMessage}
   * is what the HTTP answer may carry: a field-level hint for a malformed request, the uniform
   * message otherwise.
   */
  record Failure(FailureCause cause, String detail, String publicMessage) implements ExchangeResult {
    static Failure of(Rejection r) {
      // A 400 detail names a field and never echoes a value, so the caller may see it.
      return new Failure(r.cause(), r.detail(),
          r.cause().invalidRequest() ? r.detail() : AUTHENTICATION_FAILED);
    }

    public int httpStatus() {
      return cause.invalidRequest() ? 400 : 401;
    }

    public String errorType() {
      return cause.invalidRequest() ? "invalid_request_error" : "authentication_error";
    }
  }
}
