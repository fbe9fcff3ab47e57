package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestCaller;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNS answers cannot steer the proxy to an address that was not validated. */
class ProxyEgressIT {
  static final String HOST = "svc." + ProxyHarness.DOMAIN;
  @TempDir Path dir;
  HttpTestServer good;
  HttpTestServer secret;
  ProxyHarness h;
  LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    good = HttpTestServer.start("127.0.0.1");
    // A server the allow list does not cover: a rebinding answer would lead here.
    secret = HttpTestServer.start("127.0.0.3");
    h = new ProxyHarness(dir);
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    good.close();
    secret.close();
    logs.close();
  }

  private void startProxy(HostResolver resolver, int port) throws Exception {
    h.start("""
        routes:
          svc: http://mcp.internal.test:%d
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(port), resolver);
  }

  @Test
  void aRebindingResolverCannotRedirectTheConnection() throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    // First answer passes the check; every later one points at the disallowed server.
    HostResolver rebinding = host -> List.of(InetAddress.getByName(
        lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.3"));
    assertThat(good.port()).isNotEqualTo(0);
    startProxy(rebinding, good.port());
    try (TestCaller c = h.caller(HOST)) {
      TestCaller.Response r = c.call(HttpMethod.GET, "/headers", Map.of(), null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(good.takeHeaders()).containsEntry("host", HOST);
    }
    assertThat(lookups.get()).as("resolved once, connected to that answer").isEqualTo(1);
    // A new connection resolves again and gets the rebound answer: refused, never connected.
    try (TestCaller c = h.caller(HOST)) {
      assertThat(c.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(502);
    }
    assertThat(logs.contains("IP validation failed: 127.0.0.3 is not in allowed_ips")).isTrue();
  }

  @Test
  void oneDisallowedAddressAmongSeveralRefusesTheHost() throws Exception {
    HostResolver mixed = host -> List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.3"));
    startProxy(mixed, good.port());
    try (TestCaller c = h.caller(HOST)) {
      assertThat(c.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(502);
    }
    assertThat(logs.contains("IP validation failed: 127.0.0.3 is not in allowed_ips")).isTrue();
  }

  @Test
  void anUnresolvableUpstreamIs502() throws Exception {
    startProxy(host -> {
      throw new java.net.UnknownHostException(host);
    }, good.port());
    try (TestCaller c = h.caller(HOST)) {
      assertThat(c.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(502);
    }
    assertThat(logs.contains("mcp.internal.test could not be resolved")).isTrue();
  }
}
