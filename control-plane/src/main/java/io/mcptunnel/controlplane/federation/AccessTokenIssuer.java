package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Mints control-plane access tokens: compact JWS, ES256, {@code typ at+jwt} (RFC 9068), carrying
 * {@code sub} (service account), {@code org}, {@code workspace}, {@code scope}, {@code iat},
 * {@code exp} and a random {@code jti}.
 */
public final class AccessTokenIssuer {
  static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AccessTokenKey key;
  private final String issuer;
  private final Clock clock;

  /** {@code issuer} names this control plane; the verifier insists on the same value. */
  public AccessTokenIssuer(AccessTokenKey key, String issuer, Clock clock) {
    this.key = key;
    this.issuer = issuer;
    this.clock = clock;
  }

  public IssuedAccessToken issue(AccessTokenGrant grant) {
    // Whole seconds, because JWT NumericDate is in seconds and the claims returned must match.
    Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
    Instant exp = now.plus(grant.lifetime());
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    AccessTokenClaims claims = new AccessTokenClaims(grant.serviceAccountId(), grant.organizationId(),
        grant.workspaceId(), grant.scope(), now, exp, Base64.getUrlEncoder().withoutPadding().encodeToString(id));
    JWTClaimsSet set = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(claims.serviceAccountId())
        .claim(AccessTokenVerifier.ORG, claims.organizationId())
        .claim(AccessTokenVerifier.WORKSPACE, claims.workspaceId())
        .claim(AccessTokenVerifier.SCOPE, claims.scope())
        .issueTime(Date.from(now))
        .expirationTime(Date.from(exp))
        .jwtID(claims.tokenId())
        .build();
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE).keyID(key.keyId()).build(), set);
    try {
      jwt.sign(new ECDSASigner(key.privateKey()));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign an access token", e);
    }
    return new IssuedAccessToken(jwt.serialize(), claims);
  }
}
