package io.mcptunnel.cli.quickstart;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The quickstart's own OIDC issuer: an ES256 key that signs the short-lived identity token
 * {@code setup init} exchanges for an access token (SPEC §4.2), as a CI system's IdP would.
 *
 * <p>Nothing ever fetches from it: the control plane gets the public key set {@code inline} when
 * the issuer is registered, so the issuer URL is only an identifier (the {@code iss} of the
 * tokens). An {@code https://….invalid} name (RFC 6761: never resolves) satisfies the admin API's
 * https-only rule without serving discovery anywhere, and without the control plane's
 * insecure-loopback switch. The private key stays in one owner-only file so a re-run signs with
 * the key the control plane already knows.
 */
public final class LocalIssuer {
  public static final String ISSUER = "https://quickstart.mcptunnel.invalid";
  public static final String SUBJECT = "quickstart:setup";
  public static final String AUDIENCE = "mcptunnel-quickstart";
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

  private final ECKey key;

  private LocalIssuer(ECKey key) {
    this.key = key;
  }

  /** The key in {@code file}, or a new one written there (0600) when the file is absent. */
  public static LocalIssuer loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return new LocalIssuer(ECKey.parse(Files.readString(file)));
      }
      ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
          .keyID(UUID.randomUUID().toString()).generate();
      SecureFiles.write(file, key.toJSONString(), SecureFiles.SECRET);
      return new LocalIssuer(key);
    } catch (IOException | ParseException | JOSEException e) {
      throw new McptunnelException("issuer key " + file + ": " + e.getMessage(), e);
    }
  }

  /** The public key set the control plane verifies with (no private parts). */
  public String publicJwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** A fresh identity token for {@link #SUBJECT} and {@link #AUDIENCE}, valid a few minutes. */
  public String identityToken(Clock clock) {
    Instant now = clock.instant();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(SUBJECT)
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new McptunnelException("cannot sign the identity token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }
}
