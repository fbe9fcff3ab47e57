package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fetcher's own guards, against a hand-made loopback server that misbehaves on purpose. */
class HttpJwksFetcherIT {
  final HttpJwksFetcher fetcher = new HttpJwksFetcher(new IssuerUrlPolicy(true));
  final AtomicInteger hits = new AtomicInteger();
  HttpServer server;
  String base;
  String jwks;

  @BeforeEach
  void start() throws Exception {
    jwks = new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k1").generate()).toString();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/", ex -> {
      hits.incrementAndGet();
      String path = ex.getRequestURI().getPath();
      if (path.equals("/redirect")) {
        ex.getResponseHeaders().set("Location", base + "/jwks");
        ex.sendResponseHeaders(302, -1);
        ex.close();
        return;
      }
      byte[] body = (path.equals("/huge") ? "{\"keys\":[\"" + "x".repeat(HttpJwksFetcher.MAX_BODY_BYTES) + "\"]}"
          : path.equals("/.well-known/openid-configuration")
              ? "{\"issuer\":\"" + base + "\",\"jwks_uri\":\"http://10.0.0.1/jwks\"}" : jwks)
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  FederationIssuer issuer(JwksSource source) {
    return new FederationIssuer("iss_1", "org_a", URI.create(base), source);
  }

  @Test
  void explicitUrlIsFetched() {
    assertThat(fetcher.fetch(issuer(new JwksSource.ExplicitUrl(URI.create(base + "/jwks")))).getKeyByKeyId("k1"))
        .isNotNull();
  }

  @Test
  void redirectsAreNotFollowed() {
    assertThatThrownBy(() -> fetcher.fetch(issuer(new JwksSource.ExplicitUrl(URI.create(base + "/redirect")))))
        .isInstanceOf(JwksUnavailableException.class).hasMessageContaining("302");
    assertThat(hits).hasValue(1);
  }

  @Test
  void oversizedBodiesAreRefused() {
    assertThatThrownBy(() -> fetcher.fetch(issuer(new JwksSource.ExplicitUrl(URI.create(base + "/huge")))))
        .isInstanceOf(JwksUnavailableException.class).hasMessageContaining("more than");
  }

  @Test
  void aDiscoveredJwksUriMustPassThePolicyToo() {
    assertThatThrownBy(() -> fetcher.fetch(issuer(JwksSource.discovery())))
        .isInstanceOf(JwksUnavailableException.class).hasMessageContaining("literal loopback");
    assertThat(hits).hasValue(1);
  }

  @Test
  void inlineKeepsOnlyPublicAsymmetricKeys() throws Exception {
    OctetSequenceKey secret = new OctetSequenceKeyGenerator(256).keyID("hmac").generate();
    String pasted = new JWKSet(List.of(new ECKeyGenerator(Curve.P_256).keyID("k2").generate(), secret))
        .toString(false);
    JWKSet keys = fetcher.fetch(issuer(new JwksSource.Inline(pasted)));
    assertThat(keys.getKeys()).hasSize(1);
    assertThat(keys.getKeys().get(0).getKeyID()).isEqualTo("k2");
    assertThat(keys.getKeys().get(0).isPrivate()).isFalse();
    assertThat(hits).hasValue(0);
  }

  @Test
  void inlineGarbageIsUnavailable() {
    assertThatThrownBy(() -> fetcher.fetch(issuer(new JwksSource.Inline("{not json"))))
        .isInstanceOf(JwksUnavailableException.class).hasMessage("inline jwks is not a JWKS document");
  }
}
