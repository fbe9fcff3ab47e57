package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestCaller;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.1 details a caller relies on: pipelining, HEAD, 100-continue, connection reuse and loss. */
class ProxyHttpSemanticsIT {
  static final String HOST = "echo." + ProxyHarness.DOMAIN;
  @TempDir Path dir;
  HttpTestServer upstream;
  ServerSocket truncating;
  ProxyHarness h;
  LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    logs = new LogCapture();
    upstream = HttpTestServer.start("127.0.0.1");
    truncating = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    h = new ProxyHarness(dir);
    h.start("""
        routes:
          echo: http://127.0.0.1:%d
          broken: http://127.0.0.1:%d
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(upstream.port(), truncating.getLocalPort()));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    upstream.close();
    truncating.close();
    logs.close();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      List<CompletableFuture<TestCaller.Response>> answers = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        answers.add(c.send(TestCaller.request(HttpMethod.GET, HOST, "/headers?n=" + i, Map.of(), null)));
      }
      for (int i = 0; i < 5; i++) {
        assertThat(answers.get(i).get(30, TimeUnit.SECONDS).text()).startsWith("GET /headers?n=" + i + "\n");
      }
    }
  }

  @Test
  void headResponsesCarryNoBodyAndTheSessionGoesOn() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      TestCaller.Response head = c.call(HttpMethod.HEAD, "/bytes?n=5000", Map.of(), null);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers().get("Content-Length")).isEqualTo("5000");
      assertThat(head.body()).isEmpty();
      assertThat(c.call(HttpMethod.GET, "/bytes?n=10", Map.of(), null).body()).hasSize(10);
    }
  }

  @Test
  void expectContinueUploadsGoThrough() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      TestCaller.Response r = c.call(HttpMethod.POST, "/upload", Map.of("Expect", "100-continue"), "abc");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).endsWith(" 3");
    }
  }

  @Test
  void challengesFromAnOAuthProtectedServerPassThrough() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      TestCaller.Response r = c.call(HttpMethod.POST, "/unauthorized", Map.of(), "{}");
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.headers().get("WWW-Authenticate")).contains("resource_metadata=");
    }
  }

  @Test
  void anUpstreamThatClosesAfterEachResponseIsReconnected() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      for (int i = 0; i < 3; i++) {
        TestCaller.Response r = c.call(HttpMethod.GET, "/close", Map.of(), null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().contains("Connection")).as("hop-by-hop header not passed on").isFalse();
        assertThat(r.text()).isEqualTo("closing");
      }
      assertThat(c.isOpen()).as("the caller's session outlives upstream connections").isTrue();
    }
  }

  @Test
  void aParkedUpstreamConnectionClosedByItsServerIsNotReused() throws Exception {
    // Long enough that a loaded machine still serves the first request before the timeout fires
    // (with 300 ms, Jetty sometimes closed the fresh connection under the request on a busy host).
    upstream.setIdleTimeout(Duration.ofSeconds(1));
    try (TestCaller c = h.caller(HOST)) {
      assertThat(c.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(200);
      // Wait until the upstream has dropped the parked keep-alive connection, then ask again.
      await().atMost(Duration.ofSeconds(10)).until(() -> upstream.openConnections() == 0);
      assertThat(c.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(200);
    }
  }

  /**
   * Deterministic form of the race above: the upstream answers one request per connection and drops
   * the connection when the next request arrives on it, as a server whose idle timeout fires just
   * as the proxy lends its parked connection again.
   */
  @Test
  void aRequestOnAReusedConnectionTheUpstreamDropsIsResentOnlyWhenIdempotentAndBodyless() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    Thread server = new Thread(() -> {
      while (true) {
        try (Socket s = truncating.accept()) {
          connections.incrementAndGet();
          InputStream in = s.getInputStream();
          if (readRequest(in)) {
            s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            readRequest(in); // then close without answering
          }
        } catch (IOException e) {
          return; // the test closed the server socket
        }
      }
    });
    server.setDaemon(true);
    server.start();
    String host = "broken." + ProxyHarness.DOMAIN;
    try (TestCaller c = h.caller(host)) {
      assertThat(c.call(HttpMethod.GET, "/", Map.of(), null).status()).isEqualTo(200);
      TestCaller.Response resent = c.call(HttpMethod.GET, "/", Map.of(), null);
      assertThat(resent.status()).isEqualTo(200);
      assertThat(resent.text()).isEqualTo("ok");
      assertThat(connections.get()).isEqualTo(2);
      // A POST may have had effects upstream: it is not sent twice, the caller gets the 502.
      assertThat(c.call(HttpMethod.POST, "/", Map.of(), "{\"jsonrpc\":\"2.0\"}").status()).isEqualTo(502);
      assertThat(connections.get()).isEqualTo(2);
    }
  }

  /** Reads one request head and its Content-Length body; false at end of stream. */
  static boolean readRequest(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while (!head.toString().endsWith("\r\n\r\n")) {
      if ((b = in.read()) < 0) {
        return false;
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return in.readNBytes(length).length == length;
  }

  @Test
  void http10CallersGetTheirResponseAndThenTheSessionCloses() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      var req = TestCaller.request(HttpMethod.GET, HOST, "/bytes?n=100&chunked=1", Map.of(), null);
      req.setProtocolVersion(io.netty.handler.codec.http.HttpVersion.HTTP_1_0);
      CompletableFuture<TestCaller.Response> r = c.send(req);
      assertThat(r.get(30, TimeUnit.SECONDS).body()).hasSize(100);
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.isOpen());
    }
  }

  @Test
  void anUpstreamThatDiesMidResponseEndsTheSessionAndIsLogged() throws Exception {
    Thread server = new Thread(() -> {
      try (Socket s = truncating.accept()) {
        InputStream in = s.getInputStream();
        in.read(new byte[8192]);
        OutputStream out = s.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly ten b".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (Exception e) {
        // the test fails on the caller's side if this does not happen
      }
    });
    server.start();
    try (TestCaller c = h.caller("broken." + ProxyHarness.DOMAIN)) {
      CompletableFuture<TestCaller.Response> r = c.send(TestCaller.request(HttpMethod.GET,
          "broken." + ProxyHarness.DOMAIN, "/", Map.of(), null));
      assertThat(r).failsWithin(Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.isOpen());
    }
    server.join(5000);
    assertThat(logs.contains("upstream failed")).isTrue();
  }

  @Test
  void idleSessionsAreClosedButNotOnesWithAStreamingResponse() throws Exception {
    h.close();
    h = new ProxyHarness(dir);
    h.idleSessionTimeout = Duration.ofMillis(300);
    h.start("routes:\n  echo: http://127.0.0.1:%d\nupstream:\n  allowed_ips: [127.0.0.1/32]\n"
        .formatted(upstream.port()));
    try (TestCaller idle = h.caller(HOST); TestCaller streaming = h.caller(HOST)) {
      assertThat(idle.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(200);
      CompletableFuture<TestCaller.Response> slow = streaming.send(
          TestCaller.request(HttpMethod.GET, HOST, "/slow", Map.of(), null));
      assertThat(upstream.awaitSlowStarted()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> !idle.isOpen());
      assertThat(streaming.isOpen()).as("a request in flight keeps its session").isTrue();
      upstream.releaseSlow();
      assertThat(slow.get(30, TimeUnit.SECONDS).text()).isEqualTo("finally");
    }
  }

  @Test
  void manySessionsInParallelAllSucceed() throws Exception {
    List<CompletableFuture<Integer>> done = new ArrayList<>();
    for (int s = 0; s < 16; s++) {
      done.add(CompletableFuture.supplyAsync(() -> {
        try (TestCaller c = h.caller(HOST)) {
          int ok = 0;
          for (int i = 0; i < 25; i++) {
            ok += c.call(HttpMethod.POST, "/upload", Map.of(), "x".repeat(i * 100)).status() == 200 ? 1 : 0;
          }
          return ok;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<Integer> d : done) {
      assertThat(d.get(60, TimeUnit.SECONDS)).isEqualTo(25);
    }
  }
}
