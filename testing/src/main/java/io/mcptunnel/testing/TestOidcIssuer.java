package io.mcptunnel.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OIDC issuer on loopback plain HTTP for token-exchange tests: publishes
 * {@code /.well-known/openid-configuration} and {@code /jwks}, and signs workload JWTs with its
 * RSA (RS/PS), P-256 (ES256) and P-384 (ES384) keys. It can rotate keys, sign with keys it does not
 * publish, and produce the tokens an attacker would try ({@code none}, HS256, HS256 keyed with the
 * public key). Token times default to the given clock, so tests with a fake clock stay exact.
 */
public final class TestOidcIssuer implements AutoCloseable {
  public static final String JWKS_PATH = "/jwks";

  private final HttpServer server;
  private final Clock clock;
  private final String issuer;
  private final AtomicInteger discoveryRequests = new AtomicInteger();
  private final AtomicInteger jwksRequests = new AtomicInteger();
  private volatile Keys keys;
  private volatile String discoveryIssuer;
  private volatile int jwksStatus = 200;
  private int generation;

  private record Keys(RSAKey rsa, ECKey ec256, ECKey ec384) {
    JWKSet publicSet() {
      return new JWKSet(List.<JWK>of(rsa, ec256, ec384)).toPublicJWKSet();
    }
  }

  private TestOidcIssuer(Clock clock) throws IOException {
    this.clock = clock;
    this.keys = newKeys();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    issuer = "http://127.0.0.1:" + server.getAddress().getPort();
    discoveryIssuer = issuer;
    server.createContext("/.well-known/openid-configuration", ex -> {
      discoveryRequests.incrementAndGet();
      respond(ex, 200, "{\"issuer\":\"" + discoveryIssuer + "\",\"jwks_uri\":\"" + issuer + JWKS_PATH
          + "\",\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}");
    });
    server.createContext(JWKS_PATH, ex -> {
      jwksRequests.incrementAndGet();
      respond(ex, jwksStatus, jwksStatus == 200 ? publishedJwks() : "{}");
    });
    server.start();
  }

  /** Starts an issuer on 127.0.0.1 with a random port; token times come from {@code clock}. */
  public static TestOidcIssuer start(Clock clock) {
    try {
      return new TestOidcIssuer(clock);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the test OIDC issuer", e);
    }
  }

  /** The issuer URL, which is also the {@code iss} of its tokens: {@code http://127.0.0.1:<port>}. */
  public String issuer() {
    return issuer;
  }

  public URI jwksUri() {
    return URI.create(issuer + JWKS_PATH);
  }

  /** The JWKS currently published (public keys only). */
  public String publishedJwks() {
    return keys.publicSet().toString();
  }

  public String rsaKeyId() {
    return keys.rsa().getKeyID();
  }

  public String ecKeyId() {
    return keys.ec256().getKeyID();
  }

  public int discoveryRequests() {
    return discoveryRequests.get();
  }

  public int jwksRequests() {
    return jwksRequests.get();
  }

  /** Replaces all keys with new ones under new kids; the old keys are no longer published. */
  public synchronized void rotateKeys() {
    keys = newKeys();
  }

  /** Makes the discovery document name another issuer, as a misconfigured or hostile IdP would. */
  public void discoveryNamesIssuer(String otherIssuer) {
    discoveryIssuer = otherIssuer;
  }

  /** The HTTP status {@code /jwks} answers with (200 serves the keys). */
  public void jwksStatus(int status) {
    jwksStatus = status;
  }

  /** A token with defaults: {@code iss} this issuer, {@code iat} now, {@code exp} now + 10 min. */
  public Token token(String subject, String audience) {
    return new Token(subject, audience);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private synchronized Keys newKeys() {
    int g = ++generation;
    try {
      return new Keys(
          new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID("rsa-" + g).generate(),
          new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID("ec256-" + g).generate(),
          new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).keyID("ec384-" + g).generate());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A workload JWT being built; finish with one of the {@code sign…} methods. */
  public final class Token {
    private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    private String keyIdOverride;

    private Token(String subject, String audience) {
      Instant now = clock.instant();
      claims.issuer(issuer).subject(subject).issueTime(Date.from(now))
          .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
      if (audience != null) {
        claims.audience(audience);
      }
    }

    public Token issuer(String iss) {
      claims.issuer(iss);
      return this;
    }

    public Token subject(String sub) {
      claims.subject(sub);
      return this;
    }

    public Token audience(String... aud) {
      claims.audience(List.of(aud));
      return this;
    }

    public Token claim(String name, Object value) {
      claims.claim(name, value);
      return this;
    }

    public Token issuedAt(Instant iat) {
      claims.issueTime(iat == null ? null : Date.from(iat));
      return this;
    }

    public Token notBefore(Instant nbf) {
      claims.notBeforeTime(nbf == null ? null : Date.from(nbf));
      return this;
    }

    public Token expiresAt(Instant exp) {
      claims.expirationTime(exp == null ? null : Date.from(exp));
      return this;
    }

    /** Adds a filler claim of {@code chars} characters, to test size limits. */
    public Token padding(int chars) {
      claims.claim("pad", "x".repeat(chars));
      return this;
    }

    /** Puts this kid in the header instead of the signing key's own. */
    public Token keyId(String kid) {
      keyIdOverride = kid;
      return this;
    }

    /** Signs with the published key for {@code alg} (RS*, PS*: RSA; ES256: P-256; ES384: P-384). */
    public String sign(JWSAlgorithm alg) {
      Keys k = keys;
      JWK key = JWSAlgorithm.Family.RSA.contains(alg) ? k.rsa()
          : JWSAlgorithm.ES384.equals(alg) ? k.ec384() : k.ec256();
      return signWith(alg, key);
    }

    /** Signs with a fresh key that is not published, under the kid of a published one. */
    public String signWithUnpublishedKey(JWSAlgorithm alg) {
      try {
        JWK fresh = JWSAlgorithm.Family.RSA.contains(alg)
            ? new RSAKeyGenerator(2048).keyID(rsaKeyId()).generate()
            : new ECKeyGenerator(Curve.P_256).keyID(ecKeyId()).generate();
        return signWith(alg, fresh);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** HS256 with a shared secret (at least 32 bytes). */
    public String signHs256(byte[] secret) {
      try {
        return sign(JWSAlgorithm.HS256, new MACSigner(secret), keyIdOverride);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The classic confusion attack: HS256 keyed with the issuer's published RSA key, kid of that key. */
    public String signHs256WithPublicKey() {
      byte[] secret = keys.rsa().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
      try {
        return sign(JWSAlgorithm.HS256, new MACSigner(secret), keyIdOverride == null ? rsaKeyId() : keyIdOverride);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    /** {@code alg: none}, no signature. */
    public String unsigned() {
      return new PlainJWT(claims.build()).serialize();
    }

    private String signWith(JWSAlgorithm alg, JWK key) {
      try {
        JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        return sign(alg, signer, keyIdOverride == null ? key.getKeyID() : keyIdOverride);
      } catch (JOSEException e) {
        throw new IllegalStateException(e);
      }
    }

    private String sign(JWSAlgorithm alg, JWSSigner signer, String kid) throws JOSEException {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims.build());
      jwt.sign(signer);
      return jwt.serialize();
    }
  }
}
