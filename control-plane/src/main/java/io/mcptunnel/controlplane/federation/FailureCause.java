package io.mcptunnel.controlplane.federation;

/**
 * The precise reason an exchange was refused. It goes to the server log and the authentication
 * history; the caller only learns {@link #invalidRequest()} (400) or the uniform 401.
 */
public enum FailureCause {
  // 400 invalid_request_error: the request itself is malformed.
  MISSING_FIELD(true),
  WRONG_GRANT_TYPE(true),
  BAD_RULE_ID(true),
  // 401 authentication_error "Authentication failed", in the order TokenExchange checks them.
  UNKNOWN_RULE(false),
  WORKSPACE_MISMATCH(false),
  ISSUER_NOT_CONFIGURED(false),
  ASSERTION_TOO_LARGE(false),
  MALFORMED_ASSERTION(false),
  ALGORITHM_NOT_ALLOWED(false),
  ISSUER_MISMATCH(false),
  JWKS_UNAVAILABLE(false),
  UNKNOWN_KEY(false),
  BAD_SIGNATURE(false),
  MISSING_SUBJECT(false),
  MISSING_EXPIRY(false),
  EXPIRED(false),
  NOT_YET_VALID(false),
  ISSUED_IN_FUTURE(false),
  AUDIENCE_MISMATCH(false),
  SUBJECT_MISMATCH(false),
  CLAIMS_MISMATCH(false);

  private final boolean invalidRequest;

  FailureCause(boolean invalidRequest) {
    this.invalidRequest = invalidRequest;
  }

  /** True for a malformed request (400 {@code invalid_request_error}); false for the uniform 401. */
  public boolean invalidRequest() {
    return invalidRequest;
  }
}
