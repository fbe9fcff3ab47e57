package io.mcptunnel.sample.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The claim rules for a token whose signature has already verified, in a fixed order: issuer,
 * expiry, not-before, audience (RFC 8707: it must name this resource, so a token obtained for
 * another server is useless here), subject. Then the scope rule, kept apart because it answers 403.
 */
public final class ClaimsCheck {
  private ClaimsCheck() {}

  /** The first rule the claims break, or empty when they are acceptable. */
  public static Optional<TokenRejection> check(JWTClaimsSet claims, OAuthResourceConfig config, Instant now) {
    String iss = claims.getIssuer();
    if (iss == null || !config.issuers().contains(iss)) {
      return Optional.of(TokenRejection.WRONG_ISSUER);
    }
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return Optional.of(TokenRejection.MISSING_EXPIRY);
    }
    if (!now.isBefore(exp.toInstant().plus(config.clockSkew()))) {
      return Optional.of(TokenRejection.EXPIRED);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(config.clockSkew()).isBefore(nbf.toInstant())) {
      return Optional.of(TokenRejection.NOT_YET_VALID);
    }
    List<String> aud = claims.getAudience();
    if (aud == null || !aud.contains(config.resource().toString())) {
      return Optional.of(TokenRejection.WRONG_AUDIENCE);
    }
    String sub = claims.getSubject();
    if (sub == null || sub.isBlank()) {
      return Optional.of(TokenRejection.MISSING_SUBJECT);
    }
    return Optional.empty();
  }

  /** The required scopes the token was not granted ({@code scope} string, RFC 9068; or an {@code scp} list). */
  public static List<String> missingScopes(JWTClaimsSet claims, OAuthResourceConfig config) {
    Set<String> granted = grantedScopes(claims);
    List<String> missing = new ArrayList<>();
    for (String s : config.requiredScopes()) {
      if (!granted.contains(s)) {
        missing.add(s);
      }
    }
    return missing;
  }

  static Set<String> grantedScopes(JWTClaimsSet claims) {
    Set<String> granted = new LinkedHashSet<>();
    if (claims.getClaim("scope") instanceof String scope) {
      granted.addAll(Arrays.asList(scope.trim().split(" +")));
    }
    if (claims.getClaim("scp") instanceof List<?> scp) {
      scp.forEach(s -> granted.add(String.valueOf(s)));
    }
    granted.remove("");
    return granted;
  }
}
