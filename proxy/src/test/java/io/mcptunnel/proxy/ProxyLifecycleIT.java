package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificate reload, graceful shutdown, admin endpoints, handshake failures and log hygiene. */
class ProxyLifecycleIT {
  static final String HOST = "echo." + ProxyHarness.DOMAIN;
  static final String SECRET = "Bearer sk-live-7f3a9c-do-not-log";
  @TempDir Path dir;
  HttpTestServer upstream;
  ProxyHarness h;
  LogCapture logs;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    upstream = HttpTestServer.start("127.0.0.1");
    h = new ProxyHarness(dir);
    h.start("""
        routes:
          echo: http://127.0.0.1:%d
          refused: http://10.255.255.1:9
          down: http://127.0.0.1:1
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(upstream.port()));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    upstream.close();
    logs.close();
  }

  static String fingerprint(TestCaller c) throws Exception {
    return Fingerprints.sha256Hex((X509Certificate) c.tlsSession().getPeerCertificates()[0]);
  }

  @Test
  void reloadedCertificateServesNewSessionsWhileOpenOnesContinue() throws Exception {
    try (TestCaller before = h.caller(HOST)) {
      String oldPrint = fingerprint(before);
      IssuedCertificate next = h.serverCert();
      TestPki.write(next, h.certFile, h.keyFile);
      h.proxy.reloadCertificate();
      try (TestCaller after = h.caller(HOST)) {
        assertThat(fingerprint(after)).isEqualTo(Fingerprints.sha256Hex(next.certificate())).isNotEqualTo(oldPrint);
      }
      assertThat(before.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(200);

      Files.writeString(h.certFile, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
      h.proxy.reloadCertificate();
      assertThat(logs.contains("tls certificate reload failed, keeping the previous certificate")).isTrue();
      try (TestCaller kept = h.caller(HOST)) {
        assertThat(fingerprint(kept)).isEqualTo(Fingerprints.sha256Hex(next.certificate()));
      }
    }
  }

  @Test
  void certificateFilesArePolledWithoutAnyTrigger() throws Exception {
    h.close();
    h = new ProxyHarness(dir);
    h.proxy = io.mcptunnel.proxy.ProxyServer.start(
        io.mcptunnel.proxy.config.ProxyConfigParser.parse(Files.writeString(dir.resolve("poll.yaml"), """
            listen_addr: "127.0.0.1:0"
            admin_addr: "127.0.0.1:0"
            tunnel_domain: %s
            tls:
              cert_file: %s
              key_file: %s
            routes:
              echo: http://127.0.0.1:%d
            upstream:
              allowed_ips: [127.0.0.1/32]
            """.formatted(ProxyHarness.DOMAIN, h.certFile, h.keyFile, upstream.port()))),
        io.mcptunnel.proxy.ProxyServer.Options.defaults().withCertPollInterval(Duration.ofMillis(100)));
    IssuedCertificate next = h.serverCert();
    TestPki.write(next, h.certFile, h.keyFile);
    String expected = Fingerprints.sha256Hex(next.certificate());
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      try (TestCaller c = h.caller(HOST)) {
        return fingerprint(c).equals(expected);
      }
    });
    assertThat(logs.contains("tls certificate reloaded")).isTrue();
  }

  @Test
  void gracefulShutdownLetsAnInFlightRequestFinishAndRefusesNewSessions() throws Exception {
    TestCaller busy = h.caller(HOST);
    TestCaller idle = h.caller(HOST);
    CompletableFuture<TestCaller.Response> slow = busy.send(
        TestCaller.request(HttpMethod.GET, HOST, "/slow", Map.of(), null));
    assertThat(upstream.awaitSlowStarted()).isTrue();
    URI ready = URI.create("http://127.0.0.1:" + h.proxy.adminAddress().getPort() + "/readyz");

    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(h.proxy::shutdown);
    await().atMost(Duration.ofSeconds(10)).until(() -> !idle.isOpen());
    assertThat(http.send(HttpRequest.newBuilder(ready).build(), BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    assertThatThrownBy(() -> h.caller(HOST)).isNotNull();
    assertThat(slow).isNotDone();

    upstream.releaseSlow();
    TestCaller.Response r = slow.get(30, TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("finally");
    assertThat(stopped.get(30, TimeUnit.SECONDS)).as("finished within shutdown_timeout").isTrue();
    busy.close();
  }

  @Test
  void adminEndpointsAnswer() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      c.call(HttpMethod.GET, "/headers", Map.of(), null);
    }
    String base = "http://127.0.0.1:" + h.proxy.adminAddress().getPort();
    var health = http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), BodyHandlers.ofString());
    var ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), BodyHandlers.ofString());
    var metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("mcptunnel_proxy_requests_seconds_count{route=\"echo\",status=\"200\"} 1")
        .contains("mcptunnel_proxy_sessions_active")
        .contains("mcptunnel_proxy_certificate_expiry_seconds");
  }

  @Test
  void aCallerThatDistrustsTheCertificateFailsTheHandshakeAndItIsLogged() throws Exception {
    TestPki stranger = TestPki.create("stranger");
    assertThatThrownBy(() -> TestCaller.connect(h.callers, h.proxy.listenAddress(), HOST, stranger.clientContext()))
        .hasStackTraceContaining("PKIX");
    await().atMost(Duration.ofSeconds(10)).until(() -> logs.contains("tls handshake failed"));
    assertThat(h.proxy.registry().get("mcptunnel.proxy.tls.handshake.failures").counter().count()).isEqualTo(1);
  }

  @Test
  void aTlsClientHittingTheListenerDirectlyFails() throws Exception {
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] c, String a) {}

      public void checkServerTrusted(X509Certificate[] c, String a) {}

      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory()
        .createSocket("127.0.0.1", h.proxy.listenAddress().getPort())) {
      s.setSoTimeout(10_000);
      assertThatThrownBy(s::startHandshake).isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void authorizationValuesNeverReachTheLogs() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      Map<String, String> auth = Map.of("Authorization", SECRET, "Proxy-Authorization", SECRET);
      assertThat(c.call(HttpMethod.POST, "/upload", auth, "{\"token\":\"x\"}").status()).isEqualTo(200);
      assertThat(c.call(HttpMethod.GET, "/x", Map.of("Host", "nowhere." + ProxyHarness.DOMAIN,
          "Authorization", SECRET), null).status()).isEqualTo(404);
      assertThat(c.call(HttpMethod.GET, "/x", Map.of("Host", "refused." + ProxyHarness.DOMAIN,
          "Authorization", SECRET), null).status()).isEqualTo(502);
      assertThat(c.call(HttpMethod.GET, "/x?access_token=" + SECRET.substring(7), Map.of("Host",
          "down." + ProxyHarness.DOMAIN, "Authorization", SECRET), null).status()).isEqualTo(502);
    }
    assertThat(logs.lines()).isNotEmpty().noneMatch(l -> l.contains("sk-live-7f3a9c"));
    assertThat(logs.contains("request_id=")).isTrue();
  }

  @Test
  void httpsUpstreamsAreVerifiedAgainstTheConfiguredCa() throws Exception {
    TestPki upstreamPki = TestPki.create("upstream-ca");
    try (HttpTestServer tls = HttpTestServer.startTls("127.0.0.1", upstreamPki.server("upstream.test"))) {
      Path ca = upstreamPki.writeCa(dir.resolve("upstream-ca.pem"));
      Path wrongCa = TestPki.create("wrong").writeCa(dir.resolve("wrong-ca.pem"));
      for (Path trust : new Path[] {ca, wrongCa}) {
        h.close();
        h = new ProxyHarness(dir);
        h.start("""
            routes:
              secure: https://upstream.test:%d
            upstream:
              allowed_ips: [127.0.0.1/32]
              tls:
                ca_file: %s
            """.formatted(tls.port(), trust),
            host -> java.util.List.of(java.net.InetAddress.getByName("127.0.0.1")));
        try (TestCaller c = h.caller("secure." + ProxyHarness.DOMAIN)) {
          int status = c.call(HttpMethod.GET, "/headers", Map.of(), null).status();
          assertThat(status).isEqualTo(trust == ca ? 200 : 502);
        }
      }
    }
  }
}
