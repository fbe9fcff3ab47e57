package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import io.mcptunnel.controlplane.federation.InvalidAccessTokenException.Reason;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a bearer token minted by {@link AccessTokenIssuer}: exactly ES256 and {@code at+jwt},
 * a known kid, a valid signature, our issuer, not expired, all claims present. Anything else is
 * refused. No skew: the control plane's nodes share time far better than 30 s and the token is ours.
 */
public final class AccessTokenVerifier {
  static final String ORG = "org";
  static final String WORKSPACE = "workspace";
  static final String SCOPE = "scope";
  private static final int MAX_TOKEN_CHARS = 8 * 1024;

  private final Map<String, ECKey> keysById;
  private final String issuer;
  private final Clock clock;

  /** {@code keys}: the current key and any previous one still honoured during a key rotation. */
  public AccessTokenVerifier(List<ECKey> keys, String issuer, Clock clock) {
    this.keysById = keys.stream().map(ECKey::toPublicJWK)
        .collect(Collectors.toUnmodifiableMap(ECKey::getKeyID, Function.identity()));
    this.issuer = issuer;
    this.clock = clock;
  }

  public AccessTokenClaims verify(String token) {
    if (token == null || token.length() > MAX_TOKEN_CHARS) {
      throw fail(Reason.MALFORMED, "absent or too long");
    }
    JWT parsed;
    JWTClaimsSet claims;
    try {
      parsed = JWTParser.parse(token);
      if (!(parsed instanceof SignedJWT)) {
        throw fail(Reason.WRONG_TYPE, "not a signed JWT");
      }
      claims = parsed.getJWTClaimsSet();
    } catch (ParseException e) {
      throw fail(Reason.MALFORMED, "not a JWT");
    }
    SignedJWT jwt = (SignedJWT) parsed;
    JWSHeader header = jwt.getHeader();
    if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || !AccessTokenIssuer.TYPE.equals(header.getType())) {
      throw fail(Reason.WRONG_TYPE, "alg " + header.getAlgorithm() + ", typ " + header.getType());
    }
    ECKey key = header.getKeyID() == null ? null : keysById.get(header.getKeyID());
    if (key == null) {
      throw fail(Reason.UNKNOWN_KEY, "kid " + Details.quote(header.getKeyID()));
    }
    try {
      if (!jwt.verify(new ECDSAVerifier(key))) {
        throw fail(Reason.BAD_SIGNATURE, "signature does not verify");
      }
    } catch (JOSEException e) {
      throw fail(Reason.BAD_SIGNATURE, e.getClass().getSimpleName());
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw fail(Reason.WRONG_ISSUER, "iss " + Details.quote(claims.getIssuer()));
    }
    if (claims.getExpirationTime() == null || claims.getIssueTime() == null) {
      throw fail(Reason.MISSING_CLAIM, "exp or iat");
    }
    Instant exp = claims.getExpirationTime().toInstant();
    if (!clock.instant().isBefore(exp)) {
      throw fail(Reason.EXPIRED, "expired at " + exp);
    }
    return new AccessTokenClaims(required(claims.getSubject(), "sub"), required(string(claims, ORG), ORG),
        required(string(claims, WORKSPACE), WORKSPACE), required(string(claims, SCOPE), SCOPE),
        claims.getIssueTime().toInstant(), exp, required(claims.getJWTID(), "jti"));
  }

  private static String string(JWTClaimsSet claims, String name) {
    return claims.getClaim(name) instanceof String s ? s : null;
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw fail(Reason.MISSING_CLAIM, name);
    }
    return value;
  }

  private static InvalidAccessTokenException fail(Reason reason, String message) {
    return new InvalidAccessTokenException(reason, message);
  }
}
