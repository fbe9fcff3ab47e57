package io.mcptunnel.controlplane.federation;

import static com.nimbusds.jose.JWSAlgorithm.ES256;
import static com.nimbusds.jose.JWSAlgorithm.RS256;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.testing.MutableClock;
import io.mcptunnel.testing.TestOidcIssuer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The whole exchange against a real OIDC issuer on loopback HTTP; no mocks. */
class TokenExchangeIT {
  static final String ORG = "org_a";
  static final String AUD = "https://mcptunnel.example";
  static final String SUB = "repo:acme/app:ref:refs/heads/main";
  static final Duration JWKS_TTL = Duration.ofMinutes(5);
  static final Duration MIN_REFETCH = Duration.ofSeconds(30);

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  TestOidcIssuer idp;
  InMemoryFederationDirectory directory;
  InMemoryAuthenticationHistory history;
  TokenExchange exchange;

  @BeforeEach
  void start() {
    idp = TestOidcIssuer.start(clock);
    URI issuerUrl = URI.create(idp.issuer());
    directory = new InMemoryFederationDirectory()
        .put(new FederationIssuer("iss_disc", ORG, issuerUrl, JwksSource.discovery()))
        .put(new FederationIssuer("iss_url", ORG, issuerUrl, new JwksSource.ExplicitUrl(idp.jwksUri())))
        .put(new FederationIssuer("iss_inline", ORG, issuerUrl, new JwksSource.Inline(idp.publishedJwks())))
        .put(new FederationIssuer("iss_b", "org_b", issuerUrl, JwksSource.discovery()))
        .put(rule("fdrl_main", ORG, "iss_disc", "repo:acme/app:*", 3600))
        .put(rule("fdrl_url", ORG, "iss_url", "repo:acme/app:*", 3600))
        .put(rule("fdrl_inline", ORG, "iss_inline", "repo:acme/app:*", 3600))
        .put(rule("fdrl_exact", ORG, "iss_disc", SUB, 3600))
        .put(rule("fdrl_short", ORG, "iss_disc", "repo:acme/app:*", 600))
        .put(rule("fdrl_noissuer", ORG, "iss_missing", "repo:acme/app:*", 3600))
        .put(rule("fdrl_orgb", "org_b", "iss_b", "repo:acme/app:*", 3600));
    history = new InMemoryAuthenticationHistory(100);
    JwksCache cache = new JwksCache(new HttpJwksFetcher(new IssuerUrlPolicy(true)), clock, JWKS_TTL, MIN_REFETCH);
    exchange = new TokenExchange(directory, cache, history, clock);
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  static FederationRule rule(String id, String org, String issuerId, String subject, int lifetime) {
    return new FederationRule(id, org, issuerId,
        new FederationRule.Match(subject, AUD, Map.of("environment", "prod")),
        "sa_deployer", "ws_1", "workspace:manage_tunnels", lifetime);
  }

  /** A token every rule accepts, before a case spoils one thing. */
  TestOidcIssuer.Token good() {
    return idp.token(SUB, AUD).claim("environment", "prod");
  }

  static ExchangeRequest request(String ruleId, String assertion) {
    return new ExchangeRequest(ExchangeRequest.JWT_BEARER, assertion, ruleId, ORG, null);
  }

  Instant now() {
    return clock.instant();
  }

  record Case(String name, FailureCause cause, Function<TokenExchangeIT, ExchangeRequest> request) {
    @Override
    public String toString() {
      return name + " -> " + cause;
    }
  }

  static Stream<Case> failures() {
    return Stream.of(
        new Case("wrong grant type", FailureCause.WRONG_GRANT_TYPE, t -> new ExchangeRequest(
            "client_credentials", t.good().sign(RS256), "fdrl_main", ORG, null)),
        new Case("missing grant type", FailureCause.MISSING_FIELD, t -> new ExchangeRequest(
            null, t.good().sign(RS256), "fdrl_main", ORG, null)),
        new Case("missing assertion", FailureCause.MISSING_FIELD, t -> request("fdrl_main", "")),
        new Case("missing rule id", FailureCause.MISSING_FIELD, t -> request(null, t.good().sign(RS256))),
        new Case("bad rule id syntax", FailureCause.BAD_RULE_ID, t -> request("rule-1", t.good().sign(RS256))),
        new Case("missing organization", FailureCause.MISSING_FIELD, t -> new ExchangeRequest(
            ExchangeRequest.JWT_BEARER, t.good().sign(RS256), "fdrl_main", " ", null)),
        new Case("unknown rule", FailureCause.UNKNOWN_RULE, t -> request("fdrl_nope", t.good().sign(RS256))),
        new Case("rule of another organization", FailureCause.UNKNOWN_RULE,
            t -> request("fdrl_orgb", t.good().sign(RS256))),
        new Case("workspace not the rule's", FailureCause.WORKSPACE_MISMATCH, t -> new ExchangeRequest(
            ExchangeRequest.JWT_BEARER, t.good().sign(RS256), "fdrl_main", ORG, "ws_other")),
        new Case("rule's issuer missing", FailureCause.ISSUER_NOT_CONFIGURED,
            t -> request("fdrl_noissuer", t.good().sign(RS256))),
        new Case("JWT over 16 KiB", FailureCause.ASSERTION_TOO_LARGE,
            t -> request("fdrl_main", t.good().padding(16 * 1024).sign(RS256))),
        new Case("not a JWT", FailureCause.MALFORMED_ASSERTION, t -> request("fdrl_main", "not.a.jwt")),
        new Case("alg none", FailureCause.ALGORITHM_NOT_ALLOWED, t -> request("fdrl_main", t.good().unsigned())),
        new Case("HS256", FailureCause.ALGORITHM_NOT_ALLOWED,
            t -> request("fdrl_main", t.good().signHs256(new byte[32]))),
        new Case("HS256 keyed with the issuer's public key", FailureCause.ALGORITHM_NOT_ALLOWED,
            t -> request("fdrl_main", t.good().signHs256WithPublicKey())),
        new Case("RS512 (not on the list)", FailureCause.ALGORITHM_NOT_ALLOWED,
            t -> request("fdrl_main", t.good().sign(JWSAlgorithm.RS512))),
        new Case("wrong iss", FailureCause.ISSUER_MISMATCH,
            t -> request("fdrl_main", t.good().issuer("https://evil.example").sign(RS256))),
        new Case("unknown kid", FailureCause.UNKNOWN_KEY,
            t -> request("fdrl_main", t.good().keyId("never-published").sign(RS256))),
        new Case("RS256 under the kid of an EC key", FailureCause.UNKNOWN_KEY,
            t -> request("fdrl_main", t.good().keyId(t.idp.ecKeyId()).sign(RS256))),
        new Case("bad signature (RSA)", FailureCause.BAD_SIGNATURE,
            t -> request("fdrl_main", t.good().signWithUnpublishedKey(RS256))),
        new Case("bad signature (EC)", FailureCause.BAD_SIGNATURE,
            t -> request("fdrl_main", t.good().signWithUnpublishedKey(ES256))),
        new Case("tampered payload", FailureCause.BAD_SIGNATURE, t -> request("fdrl_main", tamper(
            t.good().sign(RS256), t.good().subject("repo:acme/app:ref:refs/heads/evil").sign(RS256)))),
        new Case("missing sub", FailureCause.MISSING_SUBJECT,
            t -> request("fdrl_main", t.good().subject(null).sign(RS256))),
        new Case("missing exp", FailureCause.MISSING_EXPIRY,
            t -> request("fdrl_main", t.good().expiresAt(null).sign(RS256))),
        new Case("expired beyond the skew", FailureCause.EXPIRED,
            t -> request("fdrl_main", t.good().expiresAt(t.now().minusSeconds(31)).sign(RS256))),
        new Case("nbf in the future", FailureCause.NOT_YET_VALID,
            t -> request("fdrl_main", t.good().notBefore(t.now().plusSeconds(31)).sign(RS256))),
        new Case("iat in the future", FailureCause.ISSUED_IN_FUTURE,
            t -> request("fdrl_main", t.good().issuedAt(t.now().plusSeconds(31)).sign(RS256))),
        new Case("audience mismatch", FailureCause.AUDIENCE_MISMATCH,
            t -> request("fdrl_main", t.good().audience("https://other.example").sign(RS256))),
        new Case("subject prefix mismatch", FailureCause.SUBJECT_MISMATCH,
            t -> request("fdrl_main", t.good().subject("repo:acme/apps:ref:refs/heads/main").sign(RS256))),
        new Case("exact subject mismatch", FailureCause.SUBJECT_MISMATCH,
            t -> request("fdrl_exact", t.good().subject(SUB + "2").sign(RS256))),
        new Case("claims mismatch", FailureCause.CLAIMS_MISMATCH,
            t -> request("fdrl_main", t.good().claim("environment", "dev").sign(RS256))));
  }

  /** The header and signature of {@code original} with the payload of {@code other}. */
  static String tamper(String original, String other) {
    String[] a = original.split("\\.");
    String[] b = other.split("\\.");
    return a[0] + "." + b[1] + "." + a[2];
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void eachFailureHasItsCause_andTheCallerSeesOnlyTheUniformAnswer(Case c) {
    ExchangeRequest request = c.request().apply(this);
    ExchangeResult result = exchange.exchange(request);

    assertThat(result).isInstanceOf(ExchangeResult.Failure.class);
    ExchangeResult.Failure f = (ExchangeResult.Failure) result;
    assertThat(f.cause()).isEqualTo(c.cause());
    if (c.cause().invalidRequest()) {
      assertThat(f.httpStatus()).isEqualTo(400);
      assertThat(f.errorType()).isEqualTo("invalid_request_error");
      assertThat(f.publicMessage()).isNotEqualTo(ExchangeResult.AUTHENTICATION_FAILED).doesNotContain("eyJ");
    } else {
      assertThat(f.httpStatus()).isEqualTo(401);
      assertThat(f.errorType()).isEqualTo("authentication_error");
      assertThat(f.publicMessage()).isEqualTo("Authentication failed");
    }
    if (!request.organizationId().isBlank()) {
      AuthenticationRecord r = history.recent(ORG, 1).get(0);
      assertThat(r.cause()).isEqualTo(c.cause());
      assertThat(r.time()).isEqualTo(now());
      assertNoAssertionIn(r, request.assertion());
    }
  }

  @Test
  void every401IsIndistinguishable_whileTheHistoryKeepsEachCause() {
    List<ExchangeResult.Failure> unauthorized = failures()
        .map(c -> (ExchangeResult.Failure) exchange.exchange(c.request().apply(this)))
        .filter(f -> f.httpStatus() == 401)
        .toList();
    Set<String> answers = unauthorized.stream()
        .map(f -> f.httpStatus() + " " + f.errorType() + " " + f.publicMessage())
        .collect(Collectors.toSet());
    assertThat(answers).containsExactly("401 authentication_error Authentication failed");
    Set<FailureCause> recorded = history.recent(ORG, 100).stream()
        .map(AuthenticationRecord::cause).collect(Collectors.toSet());
    assertThat(recorded).containsAll(unauthorized.stream().map(ExchangeResult.Failure::cause).toList());
    assertThat(recorded).hasSizeGreaterThanOrEqualTo(15);
  }

  @Test
  void ruleOfAnotherOrganizationIsRecordedExactlyLikeAnUnknownRule() {
    exchange.exchange(request("fdrl_orgb", good().sign(RS256)));
    exchange.exchange(request("fdrl_nope", good().sign(RS256)));
    List<AuthenticationRecord> records = history.recent(ORG, 2);
    assertThat(records.get(0).detail()).isEqualTo(records.get(1).detail());
    assertThat(history.recent("org_b", 10)).isEmpty();
  }

  @Test
  void expiredWithinTheSkewIsAccepted_withTheFloorLifetime() {
    String jwt = good().expiresAt(now().minusSeconds(29)).sign(RS256);
    assertThat(grant(exchange.exchange(request("fdrl_main", jwt))).expiresInSeconds()).isEqualTo(60);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"RS256", "RS384", "PS256", "PS384", "ES256", "ES384"})
  void everyAllowedAlgorithmIsAccepted(String alg) {
    ExchangeResult result = exchange.exchange(request("fdrl_main", good().sign(JWSAlgorithm.parse(alg))));
    AccessTokenGrant g = grant(result);
    assertThat(g).isEqualTo(new AccessTokenGrant("sa_deployer", ORG, "ws_1", "workspace:manage_tunnels",
        Duration.ofSeconds(1200)));  // the token has 10 min left: 2 × 600 s
    AuthenticationRecord r = history.recent(ORG, 1).get(0);
    assertThat(r.succeeded()).isTrue();
    assertThat(r.subject()).isEqualTo(SUB);
    assertThat(r.issuer()).isEqualTo(idp.issuer());
  }

  @Test
  void discoveryFetchesOnce_thenServesFromCacheUntilTheTtl() {
    assertThat(exchange.exchange(request("fdrl_main", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
    assertThat(exchange.exchange(request("fdrl_main", good().sign(ES256)))).isInstanceOf(ExchangeResult.Success.class);
    assertThat(idp.discoveryRequests()).isEqualTo(1);
    assertThat(idp.jwksRequests()).isEqualTo(1);
    clock.advance(JWKS_TTL);
    assertThat(exchange.exchange(request("fdrl_main", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
    assertThat(idp.discoveryRequests()).isEqualTo(2);
    assertThat(idp.jwksRequests()).isEqualTo(2);
  }

  @Test
  void explicitUrlSkipsDiscovery() {
    assertThat(exchange.exchange(request("fdrl_url", good().sign(ES256)))).isInstanceOf(ExchangeResult.Success.class);
    assertThat(idp.discoveryRequests()).isZero();
    assertThat(idp.jwksRequests()).isEqualTo(1);
  }

  @Test
  void inlineJwksIsNeverFetched_evenForAnUnknownKid() {
    assertThat(exchange.exchange(request("fdrl_inline", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
    idp.rotateKeys();
    assertThat(cause(exchange.exchange(request("fdrl_inline", good().sign(RS256))))).isEqualTo(FailureCause.UNKNOWN_KEY);
    assertThat(idp.discoveryRequests() + idp.jwksRequests()).isZero();
  }

  @Test
  void rotationAtTheIssuer_isPickedUpByOneRefetch_atMostOncePerInterval() {
    assertThat(exchange.exchange(request("fdrl_main", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
    assertThat(idp.jwksRequests()).isEqualTo(1);
    clock.advance(MIN_REFETCH);
    idp.rotateKeys();

    // Unknown kid: one refetch finds the new key.
    assertThat(exchange.exchange(request("fdrl_main", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
    assertThat(idp.jwksRequests()).isEqualTo(2);
    // The old key is gone, and made-up kids do not trigger more fetches within the interval.
    idp.rotateKeys();
    assertThat(cause(exchange.exchange(request("fdrl_main", good().keyId("rsa-1").sign(RS256)))))
        .isEqualTo(FailureCause.UNKNOWN_KEY);
    assertThat(cause(exchange.exchange(request("fdrl_main", good().sign(RS256))))).isEqualTo(FailureCause.UNKNOWN_KEY);
    assertThat(idp.jwksRequests()).isEqualTo(2);
    clock.advance(MIN_REFETCH);
    assertThat(exchange.exchange(request("fdrl_main", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
    assertThat(idp.jwksRequests()).isEqualTo(3);
  }

  @Test
  void jwksServerError_isJwksUnavailable_butKeysAlreadyCachedKeepWorking() {
    idp.jwksStatus(500);
    assertThat(cause(exchange.exchange(request("fdrl_url", good().sign(RS256))))).isEqualTo(FailureCause.JWKS_UNAVAILABLE);
    idp.jwksStatus(200);
    assertThat(exchange.exchange(request("fdrl_url", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
    idp.jwksStatus(500);
    clock.advance(JWKS_TTL);
    assertThat(exchange.exchange(request("fdrl_url", good().sign(RS256)))).isInstanceOf(ExchangeResult.Success.class);
  }

  @Test
  void discoveryNamingAnotherIssuer_isRefused() {
    idp.discoveryNamesIssuer("https://evil.example");
    ExchangeResult result = exchange.exchange(request("fdrl_main", good().sign(RS256)));
    assertThat(cause(result)).isEqualTo(FailureCause.JWKS_UNAVAILABLE);
    assertThat(idp.jwksRequests()).isZero();
  }

  @Test
  void plainHttpIssuer_isRefusedWithoutTheLoopbackSwitch() {
    TokenExchange production = new TokenExchange(directory,
        new JwksCache(new HttpJwksFetcher(IssuerUrlPolicy.PRODUCTION), clock, JWKS_TTL, MIN_REFETCH), history, clock);
    assertThat(cause(production.exchange(request("fdrl_main", good().sign(RS256))))).isEqualTo(FailureCause.JWKS_UNAVAILABLE);
    assertThat(history.recent(ORG, 1).get(0).detail()).contains("plain http is refused");
    assertThat(idp.discoveryRequests()).isZero();
  }

  /** Rule lifetime vs 2 × remaining JWT lifetime, with the 60 s floor. */
  @ParameterizedTest(name = "rule {0}, JWT exp in {1} s -> {2} s")
  @org.junit.jupiter.params.provider.CsvSource({
      "fdrl_main, 7200, 3600",
      "fdrl_main, 1800, 3600",
      "fdrl_main, 1000, 2000",
      "fdrl_short, 1000, 600",
      "fdrl_main, 31, 62",
      "fdrl_main, 30, 60",
      "fdrl_main, 20, 60",
      "fdrl_main, 0, 60",
  })
  void mintedLifetime(String ruleId, long expiresIn, long expected) {
    String jwt = good().expiresAt(now().plusSeconds(expiresIn)).sign(ES256);
    assertThat(grant(exchange.exchange(request(ruleId, jwt))).expiresInSeconds()).isEqualTo(expected);
  }

  @Test
  void requestToStringLeavesTheAssertionOut() {
    String jwt = good().sign(RS256);
    assertThat(request("fdrl_main", jwt).toString()).doesNotContain(jwt.substring(0, 20));
  }

  static AccessTokenGrant grant(ExchangeResult result) {
    assertThat(result).isInstanceOf(ExchangeResult.Success.class);
    return ((ExchangeResult.Success) result).grant();
  }

  static FailureCause cause(ExchangeResult result) {
    assertThat(result).isInstanceOf(ExchangeResult.Failure.class);
    return ((ExchangeResult.Failure) result).cause();
  }

  static void assertNoAssertionIn(AuthenticationRecord r, String assertion) {
    if (assertion == null || assertion.length() < 20) {
      return;
    }
    String[] parts = assertion.split("\\.");
    for (String field : new String[] {r.detail(), r.issuer(), r.subject(), r.ruleId(), r.toString()}) {
      if (field == null) {
        continue;
      }
      assertThat(field).doesNotContain(assertion.substring(0, 20));
      for (String part : parts) {
        if (part.length() >= 16) {
          assertThat(field).doesNotContain(part.substring(0, 16));
        }
      }
    }
  }
}
