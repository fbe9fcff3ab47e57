package io.mcptunnel.controlplane.federation;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which workload JWTs of one issuer become which service account, in which workspace, with which
 * scope. All validation of a rule happens in this constructor, with messages of the form
 * {@code field: value (expected: …)}.
 */
public record FederationRule(
    String id,
    String organizationId,
    String issuerId,
    Match match,
    String serviceAccountId,
    String workspaceId,
    String scope,
    int tokenLifetimeSeconds) {

  public static final int MIN_LIFETIME_SECONDS = 60;
  public static final int MAX_LIFETIME_SECONDS = 86_400;
  public static final int DEFAULT_LIFETIME_SECONDS = 3_600;
  private static final Pattern SCOPE = Pattern.compile("[a-z_]+(:[a-z_]+)*( [a-z_]+(:[a-z_]+)*)*");

  /**
   * What a JWT must carry. {@code subjectPrefix}: exact {@code sub}, or a prefix when it ends with
   * {@code *}. {@code audience}: must be one element of {@code aud}. {@code claims}: each named claim
   * must be a string equal to the value.
   */
  public record Match(String subjectPrefix, String audience, Map<String, String> claims) {
    public Match {
      claims = claims == null ? Map.of() : Map.copyOf(claims);
      if (subjectPrefix != null) {
        int star = subjectPrefix.indexOf('*');
        if (subjectPrefix.isEmpty() || subjectPrefix.equals("*")
            || (star >= 0 && star != subjectPrefix.length() - 1)) {
          throw new FederationConfigException("match.subject_prefix: " + subjectPrefix
              + " (expected: a subject, or a non-empty prefix followed by a single trailing *)");
        }
      }
      if (subjectPrefix == null && claims.isEmpty()) {
        // Without either, any token the issuer ever minted for anyone would be accepted.
        throw new FederationConfigException(
            "match: no subject_prefix and no claims (expected: at least one of them)");
      }
      // Stricter than the SPEC's letter: a rule without audience would accept tokens the issuer
      // minted for any other relying party, so it is required.
      requireText("match.audience", audience);
      claims.forEach((name, value) -> {
        requireText("match.claims key", name);
        if (value == null) {
          throw new FederationConfigException("match.claims." + name + ": missing (expected: a string)");
        }
      });
    }
  }

  public FederationRule {
    if (!FederationIds.isRuleId(id)) {
      throw new FederationConfigException("id: " + id + " (expected: fdrl_ then 1-64 letters or digits)");
    }
    requireText("organization_id", organizationId);
    requireText("issuer_id", issuerId);
    if (match == null) {
      throw new FederationConfigException("match: missing (expected: subject_prefix, audience, claims)");
    }
    requireText("service_account_id", serviceAccountId);
    requireText("workspace_id", workspaceId);
    if (scope == null || !SCOPE.matcher(scope).matches()) {
      throw new FederationConfigException(
          "scope: " + scope + " (expected: space-separated scopes such as workspace:manage_tunnels)");
    }
    if (tokenLifetimeSeconds < MIN_LIFETIME_SECONDS || tokenLifetimeSeconds > MAX_LIFETIME_SECONDS) {
      throw new FederationConfigException("token_lifetime_seconds: " + tokenLifetimeSeconds
          + " (expected: " + MIN_LIFETIME_SECONDS + "-" + MAX_LIFETIME_SECONDS + ")");
    }
  }

  /** A rule from API input, where an absent {@code token_lifetime_seconds} means the default. */
  public static FederationRule of(String id, String organizationId, String issuerId, Match match,
      String serviceAccountId, String workspaceId, String scope, Integer tokenLifetimeSeconds) {
    return new FederationRule(id, organizationId, issuerId, match, serviceAccountId, workspaceId, scope,
        tokenLifetimeSeconds == null ? DEFAULT_LIFETIME_SECONDS : tokenLifetimeSeconds);
  }

  static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new FederationConfigException(field + ": missing (expected: a non-empty string)");
    }
  }
}
