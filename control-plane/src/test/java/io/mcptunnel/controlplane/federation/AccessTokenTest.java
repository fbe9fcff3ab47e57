package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.mcptunnel.controlplane.federation.InvalidAccessTokenException.Reason;
import io.mcptunnel.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class AccessTokenTest {
  static final String ISSUER = "https://control.mcptunnel.example";
  static final AccessTokenGrant GRANT = new AccessTokenGrant("sa_deployer", "org_a", "ws_1",
      "workspace:manage_tunnels", Duration.ofSeconds(600));

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00.250Z"));
  final AccessTokenKey key = AccessTokenKey.generate();
  final AccessTokenIssuer issuer = new AccessTokenIssuer(key, ISSUER, clock);
  final AccessTokenVerifier verifier = new AccessTokenVerifier(List.of(key.privateKey()), ISSUER, clock);

  @Test
  void roundTrip() {
    IssuedAccessToken issued = issuer.issue(GRANT);
    AccessTokenClaims claims = verifier.verify(issued.token());
    assertThat(claims).isEqualTo(issued.claims());
    assertThat(claims.serviceAccountId()).isEqualTo("sa_deployer");
    assertThat(claims.organizationId()).isEqualTo("org_a");
    assertThat(claims.workspaceId()).isEqualTo("ws_1");
    assertThat(claims.hasScope("workspace:manage_tunnels")).isTrue();
    assertThat(claims.hasScope("workspace")).isFalse();
    assertThat(claims.expiresAt()).isEqualTo(Instant.parse("2026-03-01T12:10:00Z"));
    assertThat(claims.tokenId()).hasSizeGreaterThanOrEqualTo(20);
    assertThat(issuer.issue(GRANT).claims().tokenId()).isNotEqualTo(claims.tokenId());
  }

  @Test
  void expiresExactlyAtExp() {
    String token = issuer.issue(GRANT).token();
    clock.advance(Duration.ofSeconds(599));
    verifier.verify(token);
    clock.advance(Duration.ofSeconds(1));
    assertReason(() -> verifier.verify(token), Reason.EXPIRED);
  }

  @Test
  void tamperedPayloadOrForeignKeyIsRefused() {
    String token = issuer.issue(GRANT).token();
    String other = issuer.issue(new AccessTokenGrant("sa_admin", "org_a", "ws_1", "workspace:manage_tunnels",
        Duration.ofSeconds(600))).token();
    String[] a = token.split("\\.");
    assertReason(() -> verifier.verify(a[0] + "." + other.split("\\.")[1] + "." + a[2]), Reason.BAD_SIGNATURE);

    AccessTokenKey stranger = AccessTokenKey.generate();
    assertReason(() -> verifier.verify(new AccessTokenIssuer(stranger, ISSUER, clock).issue(GRANT).token()),
        Reason.UNKNOWN_KEY);
    // Same kid, different key material.
    String sameKid = forge(JWSAlgorithm.ES256, AccessTokenIssuer.TYPE, key.keyId(), b -> b);
    assertReason(() -> verifier.verify(sameKid), Reason.BAD_SIGNATURE);
  }

  @Test
  void anythingButEs256AtJwtIsRefused() throws Exception {
    JWTClaimsSet claims = claims(b -> b);
    assertReason(() -> verifier.verify(new PlainJWT(claims).serialize()), Reason.WRONG_TYPE);
    SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(AccessTokenIssuer.TYPE)
        .keyID(key.keyId()).build(), claims);
    hs.sign(new MACSigner(key.publicKey().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertReason(() -> verifier.verify(hs.serialize()), Reason.WRONG_TYPE);
    assertReason(() -> verifier.verify(forgeWithOurKey(JOSEObjectType.JWT, b -> b)), Reason.WRONG_TYPE);
    assertReason(() -> verifier.verify("garbage"), Reason.MALFORMED);
    assertReason(() -> verifier.verify("x".repeat(9000)), Reason.MALFORMED);
    assertReason(() -> verifier.verify(null), Reason.MALFORMED);
  }

  @Test
  void wrongIssuerOrMissingClaimIsRefused() {
    assertReason(() -> verifier.verify(new AccessTokenIssuer(key, "https://other", clock).issue(GRANT).token()),
        Reason.WRONG_ISSUER);
    assertReason(() -> verifier.verify(forgeWithOurKey(AccessTokenIssuer.TYPE, b -> b.claim("scope", null))),
        Reason.MISSING_CLAIM);
    assertReason(() -> verifier.verify(forgeWithOurKey(AccessTokenIssuer.TYPE, b -> b.claim("org", 7))),
        Reason.MISSING_CLAIM);
    assertReason(() -> verifier.verify(forgeWithOurKey(AccessTokenIssuer.TYPE, b -> b.expirationTime(null))),
        Reason.MISSING_CLAIM);
  }

  @Test
  void previousKeyStillVerifiesDuringRotation() {
    AccessTokenKey next = AccessTokenKey.generate();
    String old = issuer.issue(GRANT).token();
    AccessTokenVerifier both = new AccessTokenVerifier(List.of(next.publicKey(), key.publicKey()), ISSUER, clock);
    both.verify(old);
    both.verify(new AccessTokenIssuer(next, ISSUER, clock).issue(GRANT).token());
  }

  @Test
  void keyMaterialAndTokensStayOutOfToString() {
    String d = key.privateKey().getD().toString();
    assertThat(key.toString()).doesNotContain(d).contains(key.keyId());
    assertThat(key.publicKey().isPrivate()).isFalse();
    IssuedAccessToken issued = issuer.issue(GRANT);
    assertThat(issued.toString()).doesNotContain(issued.token().split("\\.")[2]).contains("redacted");
    assertThatThrownBy(() -> AccessTokenKey.of(key.publicKey())).isInstanceOf(IllegalArgumentException.class);
  }

  private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> edit) {
    Instant now = clock.instant();
    return edit.apply(new JWTClaimsSet.Builder().issuer(ISSUER).subject("sa_deployer").claim("org", "org_a")
        .claim("workspace", "ws_1").claim("scope", "workspace:manage_tunnels").jwtID("abcdefghijklmnopqrstuv")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))).build();
  }

  private String forgeWithOurKey(JOSEObjectType type, UnaryOperator<JWTClaimsSet.Builder> edit) {
    return sign(key.privateKey(), JWSAlgorithm.ES256, type, key.keyId(), edit);
  }

  private String forge(JWSAlgorithm alg, JOSEObjectType type, String kid, UnaryOperator<JWTClaimsSet.Builder> edit) {
    return sign(AccessTokenKey.generate().privateKey(), alg, type, kid, edit);
  }

  private String sign(ECKey k, JWSAlgorithm alg, JOSEObjectType type, String kid,
      UnaryOperator<JWTClaimsSet.Builder> edit) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(type).keyID(kid).build(), claims(edit));
      jwt.sign(new ECDSASigner(k));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidAccessTokenException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
