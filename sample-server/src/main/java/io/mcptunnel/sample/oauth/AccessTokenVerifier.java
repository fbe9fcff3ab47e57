package io.mcptunnel.sample.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a bearer token: a JWS (never {@code none}, never a MAC) with an allowed algorithm, an
 * access-token or plain JWT type, a signature by a key from the issuers' JWKS (fetched and cached
 * by Nimbus), then {@link ClaimsCheck}. Never logs or returns the token itself.
 */
public final class AccessTokenVerifier {
  /** RFC 9068 access tokens say {@code at+jwt}; many servers still send {@code JWT} or nothing. */
  static final Set<JOSEObjectType> ACCEPTED_TYPES = Set.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
      new JOSEObjectType("application/at+jwt"));

  private final OAuthResourceConfig config;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final Clock clock;

  public AccessTokenVerifier(OAuthResourceConfig config, Clock clock) {
    this(config, clock, remoteKeys(config));
  }

  AccessTokenVerifier(OAuthResourceConfig config, Clock clock, JWKSource<SecurityContext> keys) {
    this.config = config;
    this.clock = clock;
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
        JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(config.algorithms(), keys));
    // Claims are checked afterwards by ClaimsCheck, which names the broken rule.
    processor.setJWTClaimsSetVerifier((claims, context) -> { });
  }

  private static JWKSource<SecurityContext> remoteKeys(OAuthResourceConfig config) {
    try {
      // Cached for 5 minutes, refreshed ahead and on an unknown kid (rate limited): Nimbus' defaults.
      return JWKSourceBuilder.<SecurityContext>create(config.jwksUrl().toURL(),
          new DefaultResourceRetriever(2_000, 2_000, 512 * 1024)).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("jwks_url: " + config.jwksUrl() + " (expected: an http or https URL)");
    }
  }

  public TokenVerdict verify(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      return new TokenVerdict.Rejected(TokenRejection.MALFORMED);
    }
    if (jwt instanceof PlainJWT) {
      return new TokenVerdict.Rejected(TokenRejection.ALGORITHM_NOT_ALLOWED);
    }
    if (!(jwt instanceof SignedJWT signed)) {
      return new TokenVerdict.Rejected(TokenRejection.MALFORMED);
    }
    if (!config.algorithms().contains(signed.getHeader().getAlgorithm())) {
      return new TokenVerdict.Rejected(TokenRejection.ALGORITHM_NOT_ALLOWED);
    }
    JOSEObjectType typ = signed.getHeader().getType();
    if (typ != null && !ACCEPTED_TYPES.contains(typ)) {
      return new TokenVerdict.Rejected(TokenRejection.TYPE_NOT_ALLOWED);
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(signed, null);
    } catch (BadJWSException e) {
      return new TokenVerdict.Rejected(TokenRejection.BAD_SIGNATURE);
    } catch (RateLimitReachedException e) {
      // An unknown kid asks for a key refresh; within the rate limit there is none, so no key matches.
      return new TokenVerdict.Rejected(TokenRejection.UNKNOWN_KEY);
    } catch (BadJOSEException e) {
      return new TokenVerdict.Rejected(TokenRejection.UNKNOWN_KEY);
    } catch (JOSEException e) {
      return new TokenVerdict.KeysUnavailable();
    }
    Optional<TokenRejection> broken = ClaimsCheck.check(claims, config, clock.instant());
    if (broken.isPresent()) {
      return new TokenVerdict.Rejected(broken.get());
    }
    List<String> missing = ClaimsCheck.missingScopes(claims, config);
    return missing.isEmpty() ? new TokenVerdict.Accepted(claims.getSubject())
        : new TokenVerdict.InsufficientScope(claims.getSubject(), missing);
  }
}
