package io.mcptunnel.controlplane.federation;

import java.util.Optional;

/**
 * Step 1: is the request well formed? Failures here are 400 and their detail is shown to the
 * caller, so it names the field and never echoes the submitted value.
 */
final class RequestShape {
  private RequestShape() {}

  static Optional<Rejection> check(ExchangeRequest r) {
    if (isBlank(r.grantType())) {
      return missing("grant_type");
    }
    if (!ExchangeRequest.JWT_BEARER.equals(r.grantType())) {
      return Optional.of(Rejection.of(FailureCause.WRONG_GRANT_TYPE,
          "grant_type: unsupported (expected: " + ExchangeRequest.JWT_BEARER + ")"));
    }
    if (isBlank(r.assertion())) {
      return missing("assertion");
    }
    if (isBlank(r.federationRuleId())) {
      return missing("federation_rule_id");
    }
    if (!FederationIds.isRuleId(r.federationRuleId())) {
      return Optional.of(Rejection.of(FailureCause.BAD_RULE_ID,
          "federation_rule_id: malformed (expected: fdrl_ then 1-64 letters or digits)"));
    }
    if (isBlank(r.organizationId())) {
      return missing("organization_id");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> missing(String field) {
    return Optional.of(Rejection.of(FailureCause.MISSING_FIELD, field + ": missing"));
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
