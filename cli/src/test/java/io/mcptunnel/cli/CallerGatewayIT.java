package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.ControlPlaneTunnelCas;
import io.mcptunnel.caller.StaticTunnelCas;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.ControlPlaneStandIn;
import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.MutableClock;
import io.mcptunnel.testing.TestPki;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unmodified HTTP or MCP client reaches servers behind the tunnel through the caller gateway. */
class CallerGatewayIT {
  static final String MCP_HOST = "mcp." + TunnelStack.DOMAIN;
  static final String FILES_HOST = "files." + TunnelStack.DOMAIN;

  @TempDir static Path dir;
  static SampleMcpServer mcp;
  static HttpTestServer files;
  static TunnelStack stack;
  TunnelCaller caller;
  CallerGateway gateway;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startStack() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    files = HttpTestServer.start("127.0.0.1");
    stack = new TunnelStack(dir, Map.of("mcp", mcp.url(), "files", "http://127.0.0.1:" + files.port()));
  }

  @AfterAll
  static void stopStack() throws Exception {
    stack.close();
    files.close();
    mcp.close();
  }

  @BeforeEach
  void startGateway() throws Exception {
    caller = TunnelCaller.start(stack.callerSettings());
    gateway = CallerGateway.start(caller, new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stopGateway() {
    gateway.close(Duration.ZERO);
    caller.close();
  }

  URI url(String host, String path) {
    return URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/" + host + path);
  }

  @Test
  void theMcpJavaSdkClientCallsAToolThroughTheGateway() {
    var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gateway.address().getPort())
        .endpoint("/" + MCP_HOST + "/mcp").build();
    McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
    try {
      client.initialize();
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("echo", "add");
      McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("echo",
          Map.of("message", "through the gateway")));
      assertThat(r.content()).singleElement().isInstanceOfSatisfying(McpSchema.TextContent.class,
          t -> assertThat(t.text()).isEqualTo("through the gateway"));
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void theUpstreamSeesTheTunnelHostAndTheRestOfThePath() throws Exception {
    String marker = UUID.randomUUID().toString();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(FILES_HOST, "/headers?x=1"))
        .header("Authorization", "Bearer user-token").header("X-Test-Id", marker).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, String> seen = files.takeHeaders();
    while (seen != null && !marker.equals(seen.get("x-test-id"))) {
      seen = files.takeHeaders(); // requests of earlier tests
    }
    assertThat(seen).containsEntry("host", FILES_HOST).containsEntry("authorization", "Bearer user-token");
  }

  @Test
  void largeBodiesCrossByteForByteBothWays() throws Exception {
    long n = 24L * 1024 * 1024 + 7;
    HttpResponse<InputStream> down = http.send(HttpRequest.newBuilder(url(FILES_HOST, "/bytes?n=" + n + "&seed=3"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long count = 0;
    try (InputStream in = down.body()) {
      byte[] buf = new byte[65536];
      for (int k; (k = in.read(buf)) > 0; ) {
        md.update(buf, 0, k);
        count += k;
      }
    }
    assertThat(count).isEqualTo(n);
    assertThat(md.digest()).isEqualTo(HttpTestServer.sha256Of(n, 3));

    byte[] body = new byte[8 * 1024 * 1024 + 3];
    HttpTestServer.fill(body, 0, 11);
    HttpResponse<String> up = http.send(HttpRequest.newBuilder(url(FILES_HOST, "/upload"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(up.body()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))
        + " " + body.length);
  }

  @Test
  void serverSentEventsArriveBeforeTheUpstreamFinishes() throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url(FILES_HOST, "/sse")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    CompletableFuture<String> rest = new CompletableFuture<>();
    try (InputStream in = r.body()) {
      StringBuilder seen = new StringBuilder();
      while (!seen.toString().contains("data: first\n\n")) {
        int b = in.read();
        assertThat(b).as("the stream ended before the first event").isNotNegative();
        seen.append((char) b);
      }
      files.releaseSse();
      rest.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThat(rest.get(30, TimeUnit.SECONDS)).isNotEmpty();
  }

  @Test
  void concurrentClientsEachGetTheirOwnBytes() throws Exception {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      long n = 200_000 + i;
      long seed = i;
      // Separate clients: separate connections, spread over the gateway's event loops.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      all.add(client.sendAsync(HttpRequest.newBuilder(url(FILES_HOST, "/bytes?n=" + n + "&seed=" + seed)).build(),
          HttpResponse.BodyHandlers.ofByteArray()).thenAccept(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(sha256(r.body())).isEqualTo(HttpTestServer.sha256Of(n, seed));
          }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aTunnelCarriesMoreThanAHundredOpenSessionsPerConnection() throws Exception {
    CallerSettings good = stack.callerSettings();
    CallerSettings oneLoop = new CallerSettings(good.edges(), good.edgeTls(), good.callerKey(), good.cas(), 1);
    // One caller connection to the edge, two connector connections: 250 open sessions put 250 and
    // about 125 streams on them, past the 100 an HTTP/2 server allows by default.
    try (TunnelCaller one = TunnelCaller.start(oneLoop)) {
      List<CompletableFuture<io.netty.channel.Channel>> opened = new ArrayList<>();
      for (int i = 0; i < 250; i++) {
        opened.add(one.openSession(FILES_HOST));
      }
      CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertThat(opened).allSatisfy(f -> assertThat(f.join().isActive()).isTrue());
    }
  }

  @Test
  void sequentialRequestsReuseWarmInnerSessions() throws Exception {
    double before = streamsOpened();
    for (int i = 0; i < 20; i++) {
      // A fresh client connection each time: the inner sessions are pooled behind the gateway.
      HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      assertThat(fresh.send(HttpRequest.newBuilder(url(FILES_HOST, "/headers"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
    assertThat(streamsOpened() - before).as("inner sessions opened (one pool per caller event loop)")
        .isBetween(1.0, 2.0);
  }

  static double streamsOpened() {
    var c = stack.edge.meterRegistry().find("mcptunnel.edge.caller.streams").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void closingTheGatewayLetsARequestUnderWayFinishAndAcceptsNoMore() throws Exception {
    CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(url(FILES_HOST, "/slow"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(files.awaitSlowStarted()).isTrue();
    CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> gateway.close(Duration.ofSeconds(20)));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> new java.net.Socket(
        "127.0.0.1", gateway.address().getPort()).close()).isInstanceOf(java.net.ConnectException.class));
    assertThat(closed).isNotDone();
    files.releaseSlow();
    HttpResponse<String> r = slow.get(30, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("finally");
    closed.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aHostOfNoKnownTunnelAndABadTargetAreRefusedWithTheReason() throws Exception {
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(url("mcp.other.example", "/mcp")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no tunnel is configured for host mcp.other.example");

    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(url("127.0.0.1", "/mcp")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("the first path segment must be a tunnel host");
  }

  @Test
  void aProxyCertificateFromAnotherCaIsRefusedAndNothingIsSent() throws Exception {
    CallerSettings good = stack.callerSettings();
    CallerSettings wrongCa = new CallerSettings(good.edges(), good.edgeTls(), good.callerKey(),
        new StaticTunnelCas(Map.of(TunnelStack.DOMAIN, java.util.List.of(TestPki.create("other").ca().certificate()))),
        1);
    try (TunnelCaller other = TunnelCaller.start(wrongCa);
         CallerGateway g = CallerGateway.start(other, new InetSocketAddress("127.0.0.1", 0))) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + g.address().getPort() + "/" + FILES_HOST + "/headers")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).contains("proxy certificate refused: not signed by any registered CA");
    }
  }

  @Test
  void hundredsOfRefusedStreamsDoNotCostTheEdgeConnection() throws Exception {
    CallerSettings good = stack.callerSettings();
    var cas = io.mcptunnel.pki.PemFiles.readCertificates(stack.tunnelCa);
    CallerSettings withUnknownTunnel = new CallerSettings(good.edges(), good.edgeTls(), good.callerKey(),
        new StaticTunnelCas(Map.of(TunnelStack.DOMAIN, cas, "nope.tunnel.test", cas)), 1);
    try (TunnelCaller other = TunnelCaller.start(withUnknownTunnel);
         CallerGateway g = CallerGateway.start(other, new InetSocketAddress("127.0.0.1", 0))) {
      // More than the 200 resets in 30 s that make an HTTP/2 server drop the connection.
      for (int i = 0; i < 250; i++) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + g.address().getPort() + "/mcp.nope.tunnel.test/mcp")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(404);
        assertThat(r.body()).contains("no such tunnel");
      }
    }
  }

  @Test
  void aRefusedCallerKeyIsABadGatewayNotAnOauthChallenge() throws Exception {
    CallerSettings good = stack.callerSettings();
    CallerSettings wrongKey = new CallerSettings(good.edges(), good.edgeTls(), "ck_wrong_key_000000000000",
        good.cas(), 1);
    try (TunnelCaller other = TunnelCaller.start(wrongKey);
         CallerGateway g = CallerGateway.start(other, new InetSocketAddress("127.0.0.1", 0))) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + g.address().getPort() + "/" + MCP_HOST + "/mcp")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.body()).contains("tunnel session failed").doesNotContain("ck_wrong_key");
    }
  }

  @Test
  void withTheControlPlaneAsCaSourceACaTakenOffTheTunnelStopsBeingTrustedAfterTheCacheTime() throws Exception {
    String credential = "mcpti1.icl_000000000000000000000001.c2VjcmV0LXNlY3JldC1zZWNyZXQ";
    MutableClock clock = new MutableClock(java.time.Instant.now());
    CallerSettings good = stack.callerSettings();
    try (ControlPlaneStandIn cp = new ControlPlaneStandIn(credential)) {
      cp.publish(ControlPlaneStandIn.live("tnl_1", TunnelStack.DOMAIN,
          io.mcptunnel.pki.PemFiles.readCertificates(stack.tunnelCa)));
      CallerSettings fromControlPlane = new CallerSettings(good.edges(), good.edgeTls(), good.callerKey(),
          ControlPlaneTunnelCas.create(cp.url(), credential, java.util.Optional.empty(), clock), 1);
      try (TunnelCaller other = TunnelCaller.start(fromControlPlane);
           CallerGateway g = CallerGateway.start(other, new InetSocketAddress("127.0.0.1", 0))) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + g.address().getPort())
            .endpoint("/" + MCP_HOST + "/mcp").build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(15)).build();
        try {
          client.initialize();
          McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("echo",
              Map.of("message", "CAs from the control plane")));
          assertThat(r.content()).singleElement().isInstanceOfSatisfying(McpSchema.TextContent.class,
              t -> assertThat(t.text()).isEqualTo("CAs from the control plane"));
          assertThat(cp.requests).isNotEmpty().allSatisfy(seen -> {
            assertThat(seen.host()).isEqualTo(MCP_HOST);
            assertThat(seen.authorization()).isEqualTo("Bearer " + credential);
          });
          int asked = cp.requests.size();

          // The tunnel's CA is replaced; within the cache time nothing is asked and calls go on...
          cp.publish(ControlPlaneStandIn.live("tnl_1", TunnelStack.DOMAIN,
              List.of(TestPki.create("replacement").ca().certificate())));
          clock.advance(ControlPlaneTunnelCas.FRESH.minusSeconds(1));
          assertThat(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "still")))
              .isError()).isNotEqualTo(Boolean.TRUE);
          assertThat(cp.requests).hasSize(asked);

          // ...after it, the proxy's certificate (signed by the old CA) is refused, warm sessions included.
          clock.advance(Duration.ofSeconds(1));
          assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "no"))))
              .isNotNull();
          HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + g.address().getPort() + "/" + MCP_HOST + "/mcp")).POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertThat(refused.statusCode()).isEqualTo(502);
          assertThat(refused.body()).contains("proxy certificate refused: not signed by any registered CA")
              .doesNotContain("c2VjcmV0");
        } finally {
          client.close();
        }
      }
    }
  }
}
