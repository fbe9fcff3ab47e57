package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestCaller;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing, header handling and error answers, through a real proxy on loopback. */
class ProxyRoutingIT {
  @TempDir Path dir;
  HttpTestServer upstream;
  ProxyHarness h;
  LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    upstream = HttpTestServer.start("127.0.0.1");
    h = new ProxyHarness(dir);
    h.start("""
        routes:
          echo: http://127.0.0.1:%d
          full.example.test: http://127.0.0.1:%d
          metadata: http://169.254.169.254:80
        upstream:
          allowed_ips: [127.0.0.1]
        """.formatted(upstream.port(), upstream.port()));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    upstream.close();
    logs.close();
  }

  @Test
  void forwardsPathQueryAndHeadersAsSpecified() throws Exception {
    try (TestCaller c = h.caller("echo." + ProxyHarness.DOMAIN)) {
      TestCaller.Response r = c.call(HttpMethod.GET, "/headers?a=1&b=%2F", Map.of(
          "Authorization", "Bearer tok-123",
          "Mcp-Session-Id", "sess-9",
          "MCP-Protocol-Version", "2025-11-25",
          "Last-Event-ID", "41",
          "Proxy-Authorization", "Basic c2VjcmV0",
          "Connection", "keep-alive, X-Drop-Me",
          "X-Drop-Me", "1"), null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).startsWith("GET /headers?a=1&b=%2F\n");
      Map<String, String> seen = upstream.takeHeaders();
      assertThat(seen).containsEntry("host", "echo." + ProxyHarness.DOMAIN)
          .containsEntry("authorization", "Bearer tok-123")
          .containsEntry("mcp-session-id", "sess-9")
          .containsEntry("mcp-protocol-version", "2025-11-25")
          .containsEntry("last-event-id", "41")
          .containsEntry("x-forwarded-proto", "https")
          .containsEntry("x-forwarded-host", "echo." + ProxyHarness.DOMAIN)
          .doesNotContainKeys("proxy-authorization", "x-drop-me");
    }
  }

  @Test
  void routesCaseInsensitivelyIgnoringThePortAndByFullHostName() throws Exception {
    try (TestCaller c = h.caller("echo." + ProxyHarness.DOMAIN)) {
      TestCaller.Response r = c.call(HttpMethod.GET, "/headers",
          Map.of("Host", "ECHO.AbCd1234.Tunnel.Test:443"), null);
      assertThat(r.status()).isEqualTo(200);
    }
    // The certificate covers the tunnel domain only; the Host header alone selects the full-name route.
    try (TestCaller c = h.caller("echo." + ProxyHarness.DOMAIN)) {
      assertThat(c.call(HttpMethod.GET, "/headers", Map.of("Host", "full.example.test"), null).status())
          .isEqualTo(200);
    }
  }

  @Test
  void unknownHostIs404AndLogged() throws Exception {
    try (TestCaller c = h.caller("other." + ProxyHarness.DOMAIN)) {
      TestCaller.Response r = c.call(HttpMethod.GET, "/x", Map.of(), null);
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text()).contains("no route for host");
      // The session survives an error answer.
      assertThat(c.call(HttpMethod.GET, "/headers", Map.of("Host", "echo." + ProxyHarness.DOMAIN), null).status())
          .isEqualTo(200);
    }
    assertThat(logs.contains("no route for host")).isTrue();
  }

  @Test
  void disallowedUpstreamAddressIs502AndLogged() throws Exception {
    try (TestCaller c = h.caller("metadata." + ProxyHarness.DOMAIN)) {
      TestCaller.Response r = c.call(HttpMethod.POST, "/latest/meta-data", Map.of(), "{}");
      assertThat(r.status()).isEqualTo(502);
    }
    assertThat(logs.contains("IP validation failed: 169.254.169.254 is not in allowed_ips")).isTrue();
  }

  @Test
  void redirectsArePassedBackNotFollowed() throws Exception {
    try (TestCaller c = h.caller("echo." + ProxyHarness.DOMAIN)) {
      TestCaller.Response r = c.call(HttpMethod.GET, "/redirect", Map.of(), null);
      assertThat(r.status()).isEqualTo(302);
      assertThat(r.headers().get("Location")).isEqualTo("http://elsewhere.example/next");
    }
  }

  @Test
  void manyRequestsShareOneInnerSessionAndOneUpstreamConnection() throws Exception {
    try (TestCaller c = h.caller("echo." + ProxyHarness.DOMAIN)) {
      for (int i = 0; i < 50; i++) {
        assertThat(c.call(HttpMethod.POST, "/upload", Map.of(), "call " + i).status()).isEqualTo(200);
      }
      assertThat(c.isOpen()).isTrue();
    }
    // Recorded as each exchange ends, which may be just after the caller has its response.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(h.proxy.registry().get("mcptunnel.proxy.requests").tag("route", "echo").timer().count())
            .isEqualTo(50));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(h.proxy.registry().get("mcptunnel.proxy.sessions.active").gauge().value()).isEqualTo(0));
  }
}
