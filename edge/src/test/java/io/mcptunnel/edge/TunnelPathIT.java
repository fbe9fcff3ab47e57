package io.mcptunnel.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.caller.EdgeSession;
import io.mcptunnel.caller.InnerTls;
import io.mcptunnel.caller.StreamRejectedException;
import io.mcptunnel.common.Backoff;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.connector.ConnectorMetrics;
import io.mcptunnel.connector.ConnectorSupervisor;
import io.mcptunnel.connector.EdgeConnection;
import io.mcptunnel.connector.RegistrationRejectedException;
import io.mcptunnel.edge.callers.Caller;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stream opened at the edge reaches a real MCP server through a real connector and proxy. */
class TunnelPathIT extends TunnelHarness {
  @Test
  void aToolCallTravelsEdgeConnectorProxyAndTheEdgeSeesOnlyCiphertext() throws Exception {
    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 1);

    Channel stream = new EdgeStreams(sessions).open(TUNNEL, HOST).get(20, TimeUnit.SECONDS);
    Sniffer sniffer = new Sniffer();
    stream.pipeline().addLast("sniffer", sniffer);
    try (TestCaller caller = TestCaller.over(stream, HOST, tunnelPki.clientContext()).get(20, TimeUnit.SECONDS)) {
      String marker = "edge-must-not-see-" + System.nanoTime();
      Map<String, String> headers = Map.of("Content-Type", "application/json",
          "Accept", "application/json, text/event-stream");
      TestCaller.Response init = caller.call(HttpMethod.POST, "/mcp", headers, """
          {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
           "capabilities":{},"clientInfo":{"name":"tunnel-it","version":"1"}}}""");
      assertThat(init.status()).isEqualTo(200);
      String session = init.headers().get("Mcp-Session-Id");
      Map<String, String> withSession = Map.of("Content-Type", "application/json",
          "Accept", "application/json, text/event-stream", "Mcp-Session-Id", session,
          "MCP-Protocol-Version", "2025-06-18");
      caller.call(HttpMethod.POST, "/mcp", withSession, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
      TestCaller.Response echoed = caller.call(HttpMethod.POST, "/mcp", withSession, """
          {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"%s"}}}"""
          .formatted(marker));
      assertThat(echoed.text()).contains(marker);
      assertThat(sniffer.seen()).as("bytes the edge relayed").isNotEmpty().doesNotContain(marker);
    }
  }

  @Test
  void aRotatedTokenIsRefusedWithItsReasonWhileTheOpenConnectionStays() throws Exception {
    EdgeConnection live = connect(token);
    TunnelToken next = TunnelToken.generate(TUNNEL, "tok_2");
    writeRegistry("tok_2", next.secretHash(), "[tok_1]", false);
    registry.reload();

    assertThatThrownBy(() -> connect(token)).hasCauseInstanceOf(RegistrationRejectedException.class)
        .hasMessageContaining("token rejected: rotated");
    assertThat(live.channel().isActive()).isTrue();
    connect(next);
    // The edge registers a connection just after answering it: wait, do not race it.
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 2);
  }

  @Test
  void archivingSeversEveryConnectionAndRefusesNewOnes() throws Exception {
    EdgeConnection a = connect(token);
    EdgeConnection b = connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 2);
    writeRegistry("tok_1", token.secretHash(), "[]", true);
    registry.reload();
    await().atMost(Duration.ofSeconds(5)).until(() -> !a.channel().isActive() && !b.channel().isActive());
    assertThatThrownBy(() -> connect(token)).hasCauseInstanceOf(RegistrationRejectedException.class)
        .hasMessageContaining("tunnel archived");
  }

  @Test
  void supervisedConnectionsComeBackAfterTheEdgeRestarts() throws Exception {
    InetSocketAddress edge = listener.address();
    URI origin = URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/");
    ConnectorMetrics metrics = new ConnectorMetrics(new SimpleMeterRegistry());
    try (ConnectorSupervisor supervisor = new ConnectorSupervisor(List.of(edge), 2,
        addr -> EdgeConnection.connect(group, addr, "edge.test", edgePki.clientContext(), token.encode(), origin, metrics)
            .thenApply(EdgeConnection::channel),
        (task, delay) -> group.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Math::random), Clock.systemUTC(),
        Duration.ofSeconds(30))) {
      supervisor.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 2);

      // The edge goes away (listener and connections), then comes back on the same address.
      listener.close();
      supervisor.connections().forEach(Channel::close);
      await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.liveConnections() == 0);
      listener = ConnectorListener.bind(group, group, edge, edgeTls, registry, sessions);
      await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.liveConnections() == 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 2);

      // Traffic resumes over the new connections.
      Channel stream = new EdgeStreams(sessions).open(TUNNEL, HOST).get(20, TimeUnit.SECONDS);
      try (TestCaller caller = TestCaller.over(stream, HOST, tunnelPki.clientContext()).get(20, TimeUnit.SECONDS)) {
        assertThat(caller.call(HttpMethod.GET, "/mcp", Map.of("Accept", "text/event-stream"), null).status())
            .isBetween(200, 499);
      }
    }
  }

  @Test
  void hundredsOfShortSessionsEndWithoutResetsSoNeitherConnectionIsDropped() throws Exception {
    // Netty's HTTP/2 servers (the edge's caller port, the connector) drop a connection after 200
    // RST_STREAM frames in 30 s. Sessions that end normally must not reset their streams, or one
    // busy caller would lose its edge connection and take the tunnel's connector connections down.
    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 1);
    EdgeSession edge = EdgeSession.connect(group, callerListener.address(), "edge.test", edgePki.clientContext(),
        CALLER_KEY).get(20, TimeUnit.SECONDS);
    SslContext inner = InnerTls.forTunnel(List.of(tunnelPki.ca().certificate()));
    for (int i = 0; i < 260; i++) {
      Channel stream = edge.openStream("files." + DOMAIN).get(20, TimeUnit.SECONDS);
      try (TestCaller c = TestCaller.over(stream, "files." + DOMAIN, inner).get(20, TimeUnit.SECONDS)) {
        assertThat(c.call(HttpMethod.GET, "/bytes?n=10&seed=1", Map.of(), null).status()).as("session %d", i)
            .isEqualTo(200);
      }
    }
    assertThat(edge.isOpen()).as("the caller's edge connection").isTrue();
    assertThat(sessions.count(TUNNEL)).as("the connector's connection").isEqualTo(1);
    edge.close();
  }

  @Test
  void aCallerReachesTheMcpServerThroughTheEdge() throws Exception {
    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 1);
    try (TestCaller caller = callThroughEdge(List.of(tunnelPki.ca().certificate()))) {
      Map<String, String> headers = Map.of("Content-Type", "application/json",
          "Accept", "application/json, text/event-stream");
      TestCaller.Response init = caller.call(HttpMethod.POST, "/mcp", headers, """
          {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
           "capabilities":{},"clientInfo":{"name":"caller-it","version":"1"}}}""");
      assertThat(init.status()).isEqualTo(200);
      assertThat(init.text()).contains("mcptunnel-sample-server");
    }
  }

  @Test
  void aCallerRefusesAProxyCertificateFromAnUnregisteredCa() throws Exception {
    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 1);
    TestPki stranger = TestPki.create("not-registered");
    assertThatThrownBy(() -> callThroughEdge(List.of(stranger.ca().certificate())))
        .hasStackTraceContaining("proxy certificate refused: not signed by any registered CA");
  }

  @Test
  void aCallerRefusesAProxyCertificateIssuedThroughAnIntermediate() throws Exception {
    // A chain that PKIX would accept: registered CA -> intermediate -> proxy certificate.
    java.security.KeyPair interKeys = io.mcptunnel.pki.KeyPairs.ecP256();
    X509Certificate inter = io.mcptunnel.pki.CertificateIssuer.Spec.forKey(interKeys.getPublic(), "intermediate")
        .basicConstraints(true, true)
        .keyUsage(io.mcptunnel.pki.CertificateIssuer.Usage.KEY_CERT_SIGN, io.mcptunnel.pki.CertificateIssuer.Usage.CRL_SIGN)
        .subjectKeyIdentifier(true)
        .signedBy(tunnelPki.ca().certificate(), tunnelPki.ca().privateKey());
    java.security.KeyPair leafKeys = io.mcptunnel.pki.KeyPairs.ecP256();
    X509Certificate leaf = io.mcptunnel.pki.CertificateIssuer.issueServer(
        new IssuedCertificate(inter, interKeys.getPrivate()), leafKeys.getPublic(), List.of(DOMAIN, "*." + DOMAIN),
        Duration.ofDays(1));
    Files.writeString(dir.resolve("tls.crt"), PemFiles.toPem(leaf) + PemFiles.toPem(inter));
    Files.writeString(dir.resolve("tls.key"), PemFiles.toPem(leafKeys.getPrivate()));
    proxy.reloadCertificate();

    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 1);
    assertThatThrownBy(() -> callThroughEdge(List.of(tunnelPki.ca().certificate())))
        .hasStackTraceContaining("proxy certificate refused: not signed by any registered CA");
  }

  @Test
  void callerStreamsAreRefusedWithTheirReasons() throws Exception {
    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 1);
    EdgeSession wrongKey = EdgeSession.connect(group, callerListener.address(), "edge.test", edgePki.clientContext(),
        "ck_wrong").get(20, TimeUnit.SECONDS);
    assertThatThrownBy(() -> wrongKey.openStream(HOST).get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StreamRejectedException.class).hasMessageContaining("caller key rejected");

    callers.set(List.of(new Caller("backend", "org_other", CallerAdmission.sha256Hex(CALLER_KEY), List.of())));
    assertThatThrownBy(() -> callThroughEdge(List.of(tunnelPki.ca().certificate())))
        .hasMessageContaining("no such tunnel");

    callers.set(List.of(new Caller("backend", "org_1", CallerAdmission.sha256Hex(CALLER_KEY),
        List.of(Ipv4Cidr.parse("10.0.0.0/8")))));
    assertThatThrownBy(() -> callThroughEdge(List.of(tunnelPki.ca().certificate())))
        .hasMessageContaining("source address not allowed");

    callers.set(List.of(new Caller("backend", "org_1", CallerAdmission.sha256Hex(CALLER_KEY), List.of())));
    writeRegistry("tok_1", token.secretHash(), "[]", false, "");
    registry.reload();
    assertThatThrownBy(() -> callThroughEdge(List.of(tunnelPki.ca().certificate())))
        .hasMessageContaining("tunnel has no active CA certificate");
  }

  @Test
  void twoConnectorReplicasShareStreamsAndDrainingOneFailsNothing() throws Exception {
    Path edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
    URI origin = URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/");
    ConnectorConfig config = new ConnectorConfig(List.of(listener.address()), "edge.test", Optional.of(edgeCa),
        token::encode, origin, 1, Duration.ofSeconds(20), new InetSocketAddress("127.0.0.1", 0));
    try (Connector first = Connector.start(config); Connector second = Connector.start(config)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 2);
      List<TestCaller> open = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        open.add(callThroughEdge(List.of(tunnelPki.ca().certificate())));
      }
      assertThat(first.activeStreams()).as("round robin over both replicas").isPositive();
      assertThat(second.activeStreams()).isPositive();

      CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(first::drain);
      await().atMost(Duration.ofSeconds(10)).until(() -> !first.ready());
      // Open sessions keep working while the first replica drains; new ones all go to the second.
      for (TestCaller c : open) {
        assertThat(c.call(HttpMethod.GET, "/mcp", Map.of("Accept", "text/event-stream"), null).status())
            .isBetween(200, 499);
      }
      int beforeSecond = second.activeStreams();
      for (int i = 0; i < 3; i++) {
        open.add(callThroughEdge(List.of(tunnelPki.ca().certificate())));
      }
      assertThat(second.activeStreams()).isEqualTo(beforeSecond + 3);
      // Once its callers are done, the draining replica finishes early and cleanly.
      for (TestCaller c : open) {
        c.close();
      }
      assertThat(drained.get(20, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Inner TLS and HTTP to the {@code files} route, through caller, edge, connector and proxy. */
  TestCaller filesThroughEdge() throws Exception {
    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) >= 1);
    EdgeSession edge = EdgeSession.connect(group, callerListener.address(), "edge.test", edgePki.clientContext(),
        CALLER_KEY).get(20, TimeUnit.SECONDS);
    String host = "files." + DOMAIN;
    Channel stream = edge.openStream(host).get(20, TimeUnit.SECONDS);
    return TestCaller.over(stream, host, InnerTls.forTunnel(List.of(tunnelPki.ca().certificate())))
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void serverSentEventsStreamThroughTheWholePath() throws Exception {
    try (TestCaller c = filesThroughEdge()) {
      java.util.concurrent.LinkedBlockingQueue<String> chunks = new java.util.concurrent.LinkedBlockingQueue<>();
      CompletableFuture<Void> end = new CompletableFuture<>();
      c.stream(TestCaller.request(HttpMethod.GET, "files." + DOMAIN, "/sse", Map.of(), null),
          TestCaller.Listener.of(h -> { }, b -> chunks.add(b.toString(StandardCharsets.UTF_8)), end));
      StringBuilder first = new StringBuilder();
      while (!first.toString().contains("data: first\n\n")) {
        String chunk = chunks.poll(30, TimeUnit.SECONDS);
        assertThat(chunk).as("the first event arrives while the upstream still holds the second").isNotNull();
        first.append(chunk);
      }
      assertThat(end).isNotDone();
      files.releaseSse();
      end.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void largeBodiesCrossTheWholePathByteForByteBothWays() throws Exception {
    long n = 24L * 1024 * 1024 + 7;
    try (TestCaller c = filesThroughEdge()) {
      java.security.MessageDigest down = java.security.MessageDigest.getInstance("SHA-256");
      long[] count = {0};
      CompletableFuture<Void> end = new CompletableFuture<>();
      c.stream(TestCaller.request(HttpMethod.GET, "files." + DOMAIN, "/bytes?n=" + n + "&seed=5", Map.of(), null),
          TestCaller.Listener.of(h -> { }, b -> {
            count[0] += b.readableBytes();
            down.update(b.nioBuffer());
          }, end));
      end.get(120, TimeUnit.SECONDS);
      assertThat(count[0]).isEqualTo(n);
      assertThat(down.digest()).isEqualTo(HttpTestServer.sha256Of(n, 5));

      byte[] body = new byte[8 * 1024 * 1024 + 3];
      HttpTestServer.fill(body, 0, 9);
      TestCaller.Response up = c.send(TestCaller.request(HttpMethod.POST, "files." + DOMAIN, "/upload", Map.of(), body))
          .get(120, TimeUnit.SECONDS);
      assertThat(up.text()).isEqualTo(java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(body)) + " " + body.length);
    }
  }

  @Test
  void aDroppedConnectorConnectionFailsItsStreamsFastAndNewStreamsUseTheOthers() throws Exception {
    EdgeConnection doomed = connect(token);
    connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 2);
    TestCaller a = callThroughEdge(List.of(tunnelPki.ca().certificate()));
    TestCaller b = callThroughEdge(List.of(tunnelPki.ca().certificate()));

    doomed.channel().close();
    // The session that rode the dropped connection ends promptly instead of hanging.
    await().atMost(Duration.ofSeconds(5)).until(() -> !a.isOpen() || !b.isOpen());
    await().atMost(Duration.ofSeconds(5)).until(() -> sessions.count(TUNNEL) == 1);
    for (int i = 0; i < 10; i++) {
      try (TestCaller c = callThroughEdge(List.of(tunnelPki.ca().certificate()))) {
        assertThat(c.call(HttpMethod.GET, "/mcp", Map.of("Accept", "text/event-stream"), null).status())
            .as("request %d after the drop was detected", i).isBetween(200, 499);
      }
    }
    a.close();
    b.close();
  }

  @Test
  void hundredsOfShortStreamsDoNotCostTheirConnections() throws Exception {
    EdgeConnection connector = connect(token);
    await().atMost(Duration.ofSeconds(10)).until(() -> sessions.count(TUNNEL) == 1);
    EdgeSession caller = EdgeSession.connect(group, callerListener.address(), "edge.test", edgePki.clientContext(),
        CALLER_KEY).get(20, TimeUnit.SECONDS);
    // More than the 200 stream resets in 30 s that an HTTP/2 server takes for an attack (and then
    // closes the connection): ending a stream must not reset it, on any hop.
    for (int i = 0; i < 250; i++) {
      Channel stream = caller.openStream(HOST).get(20, TimeUnit.SECONDS);
      stream.close().get(20, TimeUnit.SECONDS);
    }
    assertThat(caller.isOpen()).as("caller connection").isTrue();
    assertThat(connector.channel().isActive()).as("connector connection").isTrue();
    assertThat(sessions.connections(TUNNEL)).hasSize(1);
    caller.close();
  }

  @Test
  void aWrongSecretIsRefused() {
    TunnelToken forged = TunnelToken.generate(TUNNEL, "tok_1");
    assertThatThrownBy(() -> connect(forged)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RegistrationRejectedException.class)
        .hasMessageContaining("token rejected");
  }

  /** Records what passes the edge's stream in both directions, as the edge would see it. */
  static final class Sniffer extends ChannelDuplexHandler {
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    synchronized String seen() {
      return seen.toString(StandardCharsets.ISO_8859_1);
    }

    private synchronized void record(Object msg) {
      if (msg instanceof ByteBuf b) {
        byte[] copy = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), copy);
        seen.writeBytes(copy);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      record(msg);
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      record(msg);
      ctx.write(msg, promise);
    }
  }
}
