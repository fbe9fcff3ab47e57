package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFC 7523 {@code jwt-bearer} exchange of SPEC §4.2, without HTTP and without a database.
 * Checks run in this fixed order and the first failure decides:
 *
 * <ol>
 *   <li>request shape: fields present, grant type, rule id syntax (400)
 *   <li>the rule exists in the named organization; requested workspace equals the rule's;
 *       the rule's issuer exists in the organization
 *   <li>assertion ≤ 16 KiB, then parsed as a signed JWT
 *   <li>algorithm allowed ({@link AllowedAlgorithms}) — before any key is touched
 *   <li>{@code iss} equals the rule's issuer
 *   <li>signature with the issuer's key for {@code kid} ({@link JwksCache}, one refetch on unknown kid)
 *   <li>{@code sub} present; {@code exp}/{@code nbf}/{@code iat} ({@link AssertionTimes})
 *   <li>audience, subject, claims ({@link RuleMatch})
 *   <li>grant with {@link MintedLifetime}
 * </ol>
 *
 * Unknown rules, rules of another organization and every later failure give the same uniform 401,
 * so rules cannot be probed; the precise cause goes to the log and the {@link AuthenticationHistory}.
 */
public final class TokenExchange {
  static final int MAX_ASSERTION_BYTES = 16 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(TokenExchange.class);

  private final FederationDirectory directory;
  private final JwksCache jwks;
  private final AuthenticationHistory history;
  private final Clock clock;

  public TokenExchange(FederationDirectory directory, JwksCache jwks, AuthenticationHistory history, Clock clock) {
    this.directory = directory;
    this.jwks = jwks;
    this.history = history;
    this.clock = clock;
  }

  public ExchangeResult exchange(ExchangeRequest request) {
    Attempt attempt = new Attempt(request, clock.instant());
    Optional<Rejection> rejection = attempt.run();
    ExchangeResult result = rejection.<ExchangeResult>map(ExchangeResult.Failure::of)
        .orElseGet(() -> new ExchangeResult.Success(attempt.grant));
    record(attempt, rejection);
    return result;
  }

  private void record(Attempt a, Optional<Rejection> rejection) {
    String org = a.request.organizationId();
    String ruleId = FederationIds.isRuleId(a.request.federationRuleId()) ? a.request.federationRuleId() : null;
    if (rejection.isPresent()) {
      Rejection r = rejection.get();
      LOG.info("token exchange rejected organization_id={} rule_id={} cause={} detail={}",
          Details.quote(org), ruleId, r.cause(), r.detail());
      if (org != null && !org.isBlank()) {
        history.record(new AuthenticationRecord(Details.bounded(org), a.now, ruleId, a.issuer, a.subject,
            r.cause(), r.detail()));
      }
    } else {
      LOG.info("token exchange granted organization_id={} rule_id={} service_account_id={} expires_in={}",
          org, ruleId, a.grant.serviceAccountId(), a.grant.expiresInSeconds());
      history.record(new AuthenticationRecord(org, a.now, ruleId, a.issuer, a.subject, null,
          "granted " + a.grant.scope() + " to " + a.grant.serviceAccountId() + " for "
              + a.grant.expiresInSeconds() + " s"));
    }
  }

  /** The state of one exchange as the checks proceed; issuer and subject feed the history. */
  private final class Attempt {
    final ExchangeRequest request;
    final Instant now;
    String issuer;
    String subject;
    AccessTokenGrant grant;

    Attempt(ExchangeRequest request, Instant now) {
      this.request = request;
      this.now = now;
    }

    Optional<Rejection> run() {
      Optional<Rejection> shape = RequestShape.check(request);
      if (shape.isPresent()) {
        return shape;
      }
      Optional<FederationRule> found = directory.rule(request.federationRuleId())
          .filter(r -> r.organizationId().equals(request.organizationId()));
      if (found.isEmpty()) {
        // Same cause and detail whether the rule is absent or another organization's: this record
        // is read by the requesting organization's admins and must not reveal foreign rules.
        return reject(FailureCause.UNKNOWN_RULE, "no such rule in this organization");
      }
      FederationRule rule = found.get();
      if (request.workspaceId() != null && !request.workspaceId().equals(rule.workspaceId())) {
        return reject(FailureCause.WORKSPACE_MISMATCH, "requested workspace " + Details.quote(request.workspaceId())
            + " is not the rule's workspace " + Details.quote(rule.workspaceId()));
      }
      Optional<FederationIssuer> configured = directory.issuer(rule.issuerId())
          .filter(i -> i.organizationId().equals(rule.organizationId()));
      if (configured.isEmpty()) {
        return reject(FailureCause.ISSUER_NOT_CONFIGURED, "rule's issuer " + Details.quote(rule.issuerId())
            + " does not exist in this organization");
      }
      return checkAssertion(rule, configured.get());
    }

    private Optional<Rejection> checkAssertion(FederationRule rule, FederationIssuer expected) {
      String assertion = request.assertion();
      // Characters first: a huge string is refused before it is encoded or parsed.
      if (assertion.length() > MAX_ASSERTION_BYTES
          || assertion.getBytes(StandardCharsets.UTF_8).length > MAX_ASSERTION_BYTES) {
        return reject(FailureCause.ASSERTION_TOO_LARGE, "assertion is larger than 16 KiB");
      }
      JWT parsed;
      try {
        parsed = JWTParser.parse(assertion);
      } catch (ParseException e) {
        return reject(FailureCause.MALFORMED_ASSERTION, "assertion is not a JWT");
      }
      if (parsed instanceof PlainJWT) {
        return reject(FailureCause.ALGORITHM_NOT_ALLOWED, "alg none");
      }
      if (!(parsed instanceof SignedJWT jwt)) {
        return reject(FailureCause.ALGORITHM_NOT_ALLOWED, "not a signed JWT (JWE)");
      }
      JWTClaimsSet claims;
      try {
        claims = jwt.getJWTClaimsSet();
      } catch (ParseException e) {
        return reject(FailureCause.MALFORMED_ASSERTION, "JWT payload is not a claims set");
      }
      issuer = Details.bounded(claims.getIssuer());
      subject = Details.bounded(claims.getSubject());
      if (!AllowedAlgorithms.allowed(jwt.getHeader().getAlgorithm())) {
        return reject(FailureCause.ALGORITHM_NOT_ALLOWED, "alg " + Details.quote(jwt.getHeader().getAlgorithm()));
      }
      if (!expected.issuer().equals(claims.getIssuer())) {
        return reject(FailureCause.ISSUER_MISMATCH, "iss " + Details.quote(claims.getIssuer())
            + " is not the rule's issuer " + Details.quote(expected.issuer()));
      }
      Optional<Rejection> signature = checkSignature(jwt, expected);
      if (signature.isPresent()) {
        return signature;
      }
      if (claims.getSubject() == null || claims.getSubject().isBlank()) {
        return reject(FailureCause.MISSING_SUBJECT, "sub: absent");
      }
      Optional<Rejection> times = AssertionTimes.check(
          claims.getExpirationTime(), claims.getNotBeforeTime(), claims.getIssueTime(), now);
      if (times.isPresent()) {
        return times;
      }
      Optional<Rejection> match = RuleMatch.check(rule.match(), claims.getAudience(), claims.getSubject(),
          claims.getClaims());
      if (match.isPresent()) {
        return match;
      }
      Duration lifetime = MintedLifetime.of(rule.tokenLifetimeSeconds(), claims.getExpirationTime().toInstant(), now);
      grant = new AccessTokenGrant(rule.serviceAccountId(), rule.organizationId(), rule.workspaceId(),
          rule.scope(), lifetime);
      return Optional.empty();
    }

    private Optional<Rejection> checkSignature(SignedJWT jwt, FederationIssuer expected) {
      try {
        JWKSet keys = jwks.keys(expected);
        List<JWK> candidates = AssertionSignature.candidates(keys, jwt.getHeader());
        if (candidates.isEmpty() && !(expected.jwks() instanceof JwksSource.Inline)) {
          // The issuer may have rotated since we cached its keys.
          candidates = AssertionSignature.candidates(jwks.refreshed(expected), jwt.getHeader());
        }
        return AssertionSignature.verify(jwt, candidates);
      } catch (JwksUnavailableException e) {
        return reject(FailureCause.JWKS_UNAVAILABLE, e.getMessage());
      }
    }

    private Optional<Rejection> reject(FailureCause cause, String detail) {
      return Optional.of(Rejection.of(cause, detail));
    }
  }
}
