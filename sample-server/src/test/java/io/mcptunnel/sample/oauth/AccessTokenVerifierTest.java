package io.mcptunnel.sample.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The verifier's decisions that need a key source: the claim rules themselves are in ClaimsCheckTest. */
class AccessTokenVerifierTest {
  static final Clock CLOCK = Clock.fixed(ClaimsCheckTest.NOW, ZoneOffset.UTC);
  static RSAKey key;

  @BeforeAll
  static void keys() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
  }

  static String token(JOSEObjectType typ, String scope) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(typ).build(),
        new JWTClaimsSet.Builder().issuer("https://as.example").subject("client-1").audience(ClaimsCheckTest.RESOURCE)
            .expirationTime(Date.from(ClaimsCheckTest.NOW.plusSeconds(60))).claim("scope", scope).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  static AccessTokenVerifier verifier(JWKSource<SecurityContext> keys) {
    return new AccessTokenVerifier(ClaimsCheckTest.CONFIG, CLOCK, keys);
  }

  @Test
  void acceptsAValidTokenOfEachAccessTokenType() throws Exception {
    AccessTokenVerifier v = verifier(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
    for (JOSEObjectType typ : new JOSEObjectType[] {null, JOSEObjectType.JWT, new JOSEObjectType("at+jwt")}) {
      assertThat(v.verify(token(typ, "mcp:tools"))).isEqualTo(new TokenVerdict.Accepted("client-1"));
    }
  }

  @Test
  void otherTypesAndMissingScopesAreRefused() throws Exception {
    AccessTokenVerifier v = verifier(new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
    assertThat(v.verify(token(new JOSEObjectType("logout+jwt"), "mcp:tools")))
        .isEqualTo(new TokenVerdict.Rejected(TokenRejection.TYPE_NOT_ALLOWED));
    assertThat(v.verify(token(null, "profile")))
        .isEqualTo(new TokenVerdict.InsufficientScope("client-1", List.of("mcp:tools")));
  }

  @Test
  void anUnreachableKeySetIsUnavailableButARateLimitedRefreshIsAnUnknownKey() throws Exception {
    String good = token(null, "mcp:tools");
    assertThat(verifier((selector, ctx) -> {
      throw new KeySourceException("connection refused");
    }).verify(good)).isEqualTo(new TokenVerdict.KeysUnavailable());
    assertThat(verifier((selector, ctx) -> {
      throw new RateLimitReachedException();
    }).verify(good)).isEqualTo(new TokenVerdict.Rejected(TokenRejection.UNKNOWN_KEY));
  }
}
