package io.mcptunnel.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
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
import com.nimbusds.jose.util.JSONObjectUtils;
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
import java.net.URLDecoder;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OIDC issuer on loopback plain HTTP for token-exchange tests: publishes
 * {@code /.well-known/openid-configuration} and {@code /jwks}, and signs workload JWTs with its
 * RSA (RS/PS), P-256 (ES256) and P-384 (ES384) keys. It is also a small OAuth authorization server
 * for MCP clients (see {@link #registerClient}): RFC 8414 metadata at
 * {@code /.well-known/oauth-authorization-server} and a {@code client_credentials} token endpoint
 * that binds each access token to the RFC 8707 {@code resource} it was asked for. It can rotate keys, sign with keys it does not
 * publish, and produce the tokens an attacker would try ({@code none}, HS256, HS256 keyed with the
 * public key). Token times default to the given clock, so tests with a fake clock stay exact.
 */
public final class TestOidcIssuer implements AutoCloseable {
  public static final String JWKS_PATH = "/jwks";
  public static final String TOKEN_PATH = "/token";
  public static final String AUTHORIZE_PATH = "/authorize";
  public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(10);

  private final HttpServer server;
  private final Clock clock;
  private final String issuer;
  private final AtomicInteger discoveryRequests = new AtomicInteger();
  private final AtomicInteger jwksRequests = new AtomicInteger();
  private final Map<String, OAuthClient> clients = new ConcurrentHashMap<>();
  private final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
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
    server.createContext("/.well-known/oauth-authorization-server", ex -> respond(ex, 200, JSONObjectUtils.toJSONString(
        authorizationServerMetadata())));
    server.createContext(TOKEN_PATH, this::token);
    // Only here because RFC 8414 clients insist on the field; no interactive grant is offered.
    server.createContext(AUTHORIZE_PATH, ex -> respond(ex, 400, "{\"error\":\"unsupported_response_type\"}"));
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

  /** A confidential client for the {@code client_credentials} grant, allowed exactly these scopes. */
  public record OAuthClient(String id, String secret, List<String> scopes) {}

  /** What a client asked the token endpoint for (no secrets): its id, {@code resource}s and {@code scope}. */
  public record TokenRequest(String clientId, List<String> resources, String scope) {}

  /**
   * Registers a client; a token request without {@code scope} gets all of {@code scopes}, one with
   * a scope outside them gets {@code invalid_scope}.
   */
  public OAuthClient registerClient(String clientId, String secret, String... scopes) {
    OAuthClient c = new OAuthClient(clientId, secret, List.of(scopes));
    clients.put(clientId, c);
    return c;
  }

  /** The token endpoint, {@code <issuer>/token}. */
  public URI tokenEndpoint() {
    return URI.create(issuer + TOKEN_PATH);
  }

  /** Every request the token endpoint answered, in order. */
  public List<TokenRequest> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  /** The RFC 8414 document, fields in a fixed order. */
  public Map<String, Object> authorizationServerMetadata() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("authorization_endpoint", issuer + AUTHORIZE_PATH);
    doc.put("token_endpoint", issuer + TOKEN_PATH);
    doc.put("jwks_uri", issuer + JWKS_PATH);
    doc.put("grant_types_supported", List.of("client_credentials"));
    doc.put("response_types_supported", List.of());
    doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
    return doc;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * RFC 6749 §4.4 with client_secret_basic or client_secret_post; RFC 8707: the token's {@code aud}
   * is the requested resource(s), so a token asked for one MCP server is refused by another.
   */
  private void token(HttpExchange ex) throws IOException {
    if (!"POST".equals(ex.getRequestMethod())) {
      respond(ex, 405, "{\"error\":\"invalid_request\"}");
      return;
    }
    Map<String, List<String>> form = parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    OAuthClient client = authenticate(ex.getRequestHeaders().getFirst("Authorization"), form);
    String scope = first(form, "scope");
    List<String> resources = form.getOrDefault("resource", List.of());
    tokenRequests.add(new TokenRequest(client == null ? first(form, "client_id") : client.id(), resources, scope));
    if (client == null) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"token\"");
      respond(ex, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    if (!"client_credentials".equals(first(form, "grant_type"))) {
      respond(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
      return;
    }
    for (String r : resources) {
      URI u = URI.create(r);
      if (!u.isAbsolute() || u.getRawFragment() != null) {
        respond(ex, 400, "{\"error\":\"invalid_target\"}");
        return;
      }
    }
    List<String> granted = scope == null || scope.isBlank() ? client.scopes() : List.of(scope.trim().split(" +"));
    if (!client.scopes().containsAll(granted)) {
      respond(ex, 400, "{\"error\":\"invalid_scope\"}");
      return;
    }
    Token t = new Token(client.id(), null).claim("client_id", client.id()).claim("scope", String.join(" ", granted))
        .claim("jti", UUID.randomUUID().toString()).type(new JOSEObjectType("at+jwt"));
    if (!resources.isEmpty()) {
      t.audience(resources.toArray(String[]::new));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", t.sign(JWSAlgorithm.RS256));
    body.put("token_type", "Bearer");
    body.put("expires_in", ACCESS_TOKEN_LIFETIME.toSeconds());
    body.put("scope", String.join(" ", granted));
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    respond(ex, 200, JSONObjectUtils.toJSONString(body));
  }

  private OAuthClient authenticate(String authorization, Map<String, List<String>> form) {
    String id;
    String secret;
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        return null;
      }
      id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
      secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
    } else {
      id = first(form, "client_id");
      secret = first(form, "client_secret");
    }
    OAuthClient c = id == null ? null : clients.get(id);
    return c != null && secret != null && MessageDigest.isEqual(c.secret().getBytes(StandardCharsets.UTF_8),
        secret.getBytes(StandardCharsets.UTF_8)) ? c : null;
  }

  private static Map<String, List<String>> parseForm(String body) {
    Map<String, List<String>> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return form;
  }

  private static String first(Map<String, List<String>> form, String name) {
    List<String> values = form.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
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
    private JOSEObjectType type;

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

    /** Sets the header's {@code typ}, e.g. {@code at+jwt} for an RFC 9068 access token. */
    public Token type(JOSEObjectType typ) {
      type = typ;
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
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(type).build(), claims.build());
      jwt.sign(signer);
      return jwt.serialize();
    }
  }
}
