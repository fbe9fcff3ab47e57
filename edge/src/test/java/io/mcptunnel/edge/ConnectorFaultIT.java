package io.mcptunnel.edge;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.caller.EdgeSession;
import io.mcptunnel.caller.InnerTls;
import io.mcptunnel.common.Backoff;
import io.mcptunnel.connector.ConnectorMetrics;
import io.mcptunnel.connector.ConnectorSupervisor;
import io.mcptunnel.connector.EdgeConnection;
import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.TcpForwarder;
import io.mcptunnel.testing.TestCaller;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults on the connector's side of the tunnel, under load. Mainly: one of a connector's edge
 * connections dies abruptly while callers keep the tunnel busy. Every request is a new stream
 * through the edge (caller library, inner TLS, then HTTP to the MCP server or the files server), so
 * "a new request" is one whose stream the edge routes after the fault. The rule under test (SPEC
 * §3): streams on the dead connection fail fast, and once the edge has noticed, every new stream
 * goes to the live connections and succeeds; the connector brings the slot back and the new
 * connection carries traffic. Also: a proxy that cannot be reached costs refused streams, not the
 * connection.
 */
class ConnectorFaultIT extends TunnelHarness {
  static final int CONNECTIONS = 4;
  static final int CALLER_CONNECTIONS = 4;
  static final int WORKERS = 16;
  /** Short, so a half-open connection is given up within about a second. */
  static final Duration LIVENESS = Duration.ofMillis(500);
  /** Any one step of a request; a step that takes longer is a hang and fails the request. */
  static final Duration STEP = Duration.ofSeconds(5);
  static final String FILES = "files." + DOMAIN;

  /** How a connection dies, and how soon both ends must have noticed. */
  enum Fault {
    /**
     * The connector's socket is closed under its pipeline with a TCP reset: no GOAWAY, no TLS
     * close_notify (a connector process killed, a reset from the network).
     */
    RESET(Duration.ofSeconds(2)),
    /**
     * The connection goes half-open: both sockets stay open, nothing passes any more and neither
     * end is told (a vanished host, a NAT that forgot the flow). Only the HTTP/2 PING liveness
     * check can tell, within two intervals.
     */
    HALF_OPEN(LIVENESS.multipliedBy(2).plusSeconds(2));

    final Duration noticedWithin;

    Fault(Duration noticedWithin) {
      this.noticedWithin = noticedWithin;
    }
  }

  /** One request by a load worker: when it started and ended, and why it failed (null if it did not). */
  record Outcome(long started, long ended, Throwable failure) {
    /** For failure messages: times relative to {@code origin} (the fault), and the failure with its cause. */
    String describe(long origin) {
      Throwable root = failure;
      while (root != null && root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return "started " + Duration.ofNanos(started - origin) + ", ended " + Duration.ofNanos(ended - origin)
          + " after the fault: " + failure + (root != failure ? " (cause " + root + ")" : "");
    }
  }

  final ConnectorMetrics connectorMetrics = new ConnectorMetrics(new SimpleMeterRegistry());

  @Override
  Duration connectorLiveness() {
    return LIVENESS;
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void aConnectionDyingUnderLoadFailsOnlyItsOwnStreamsFastAndEveryStreamOpenedAfterTheEdgeNoticedSucceeds(Fault fault)
      throws Exception {
    TcpForwarder network = TcpForwarder.start(group, listener.address());
    List<EdgeSession> edges = new ArrayList<>();
    List<Held> held = new ArrayList<>();
    InetSocketAddress dialled = fault == Fault.HALF_OPEN ? network.address() : listener.address();
    try (ConnectorSupervisor connector = supervisor(dialled)) {
      connector.start();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> connector.liveConnections() == CONNECTIONS && sessions.count(TUNNEL) == CONNECTIONS);
      for (int i = 0; i < CALLER_CONNECTIONS; i++) {
        edges.add(EdgeSession.connect(group, callerListener.address(), "edge.test", edgePki.clientContext(), CALLER_KEY)
            .get(STEP.toMillis(), MILLISECONDS));
      }
      SslContext inner = InnerTls.forTunnel(List.of(tunnelPki.ca().certificate()));

      // A long response on every connection (the edge picks round robin), to see one of them cut.
      for (int i = 0; i < CONNECTIONS; i++) {
        held.add(Held.open(edges.get(i), inner));
      }
      for (Channel c : connector.connections()) {
        int active = onLoop(c, Http2Connection::numActiveStreams);
        assertThat(active).as("one held stream per connection").isEqualTo(1);
      }

      Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        EdgeSession edge = edges.get(w % edges.size());
        Thread t = new Thread(() -> load(edge, inner, stop, outcomes), "load-" + w);
        t.setDaemon(true);
        t.start();
        workers.add(t);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> succeeded(outcomes, o -> true) >= WORKERS);

      // The fault, on one connection; where the edge and the connector each see it end.
      Channel doomed = connector.connections().get(0);
      InetSocketAddress doomedAtEdge = fault == Fault.HALF_OPEN
          ? network.link((InetSocketAddress) doomed.localAddress()).towardTarget()
          : (InetSocketAddress) doomed.localAddress();
      Channel doomedEdgeSide = sessions.connections(TUNNEL).stream()
          .filter(c -> doomedAtEdge.equals(c.remoteAddress())).findFirst().orElseThrow();
      List<Channel> survivors = connector.connections().stream().filter(c -> c != doomed).toList();
      AtomicLong edgeNoticed = new AtomicLong();
      AtomicLong connectorNoticed = new AtomicLong();
      doomedEdgeSide.closeFuture().addListener(f -> edgeNoticed.set(System.nanoTime()));
      doomed.closeFuture().addListener(f -> connectorNoticed.set(System.nanoTime()));
      int succeededBeforeFault = succeeded(outcomes, o -> true);
      long faultAt = System.nanoTime();
      if (fault == Fault.RESET) {
        resetUnderThePipeline(doomed);
      } else {
        network.link((InetSocketAddress) doomed.localAddress()).silence();
      }

      await().atMost(fault.noticedWithin).pollInterval(Duration.ofMillis(5))
          .until(() -> edgeNoticed.get() != 0 && connectorNoticed.get() != 0);
      long detectedAt = edgeNoticed.get();
      // Only the stream held on the dead connection ends, and it ends promptly instead of hanging.
      await().atMost(fault.noticedWithin).until(() -> held.stream().filter(h -> h.end.isDone()).count() == 1);
      Held cut = held.stream().filter(h -> h.end.isDone()).findFirst().orElseThrow();
      assertThat(cut.end).isCompletedExceptionally();
      assertThat(since(faultAt, cut.endedAt.get())).isLessThan(fault.noticedWithin);
      assertThat(survivors).allMatch(Channel::isActive);

      // The connector brings the slot back, and the new connection gets streams like the others.
      await().atMost(Duration.ofSeconds(10)).until(() ->
          connector.liveConnections() == CONNECTIONS && sessions.count(TUNNEL) == CONNECTIONS);
      long reconnectedAt = System.nanoTime();
      Channel replacement = connector.connections().stream()
          .filter(c -> c != doomed && !survivors.contains(c)).findFirst().orElseThrow();
      await().atMost(Duration.ofSeconds(20))
          .until(() -> succeeded(outcomes, o -> o.started > reconnectedAt) >= WORKERS);
      stop.set(true);
      for (Thread t : workers) {
        t.join(2 * STEP.toMillis() + 2_000);
        assertThat(t.isAlive()).as("%s finished its last request", t.getName()).isFalse();
      }
      int lastStream = onLoop(replacement, h2 -> h2.remote().lastStreamCreated());
      assertThat(lastStream).as("streams the edge opened on the new connection").isPositive();

      List<Outcome> all = List.copyOf(outcomes);
      System.out.printf("%s: edge noticed after %s, connector after %s, slot back after %s; %d requests, %d failed%n",
          fault, since(faultAt, detectedAt), since(faultAt, connectorNoticed.get()), since(faultAt, reconnectedAt),
          all.size(), all.stream().filter(o -> o.failure != null).count());
      List<Outcome> failed = all.stream().filter(o -> o.failure != null).toList();
      assertThat(failed.stream().filter(o -> o.started > detectedAt).map(o -> o.describe(faultAt)))
          .as("requests started after the edge noticed the drop (%s after the fault): none may fail",
              since(faultAt, detectedAt))
          .isEmpty();
      assertThat(failed.stream()
          .filter(o -> o.ended < faultAt || since(faultAt, o.ended).compareTo(fault.noticedWithin) > 0)
          .map(o -> o.describe(faultAt)))
          .as("requests that failed other than fast and because of the fault (within %s)", fault.noticedWithin)
          .isEmpty();
      assertThat(failed.size()).as("failed requests").isLessThanOrEqualTo(WORKERS);
      assertThat(succeededBeforeFault).isPositive();
      assertThat(succeeded(outcomes, o -> o.started > detectedAt)).isGreaterThanOrEqualTo(WORKERS);

      // The held streams on the live connections were never disturbed and finish byte for byte.
      files.releaseSse();
      for (Held h : held) {
        if (h != cut) {
          h.end.get(STEP.toMillis(), MILLISECONDS);
          assertThat(h.text.toString()).isEqualTo("id: 1\ndata: first\n\nid: 2\ndata: second\n\n");
        }
      }
      held.forEach(h -> h.caller.close());
      // Nothing is left behind: no stream stays open at the connector or at the edge.
      await().atMost(STEP).until(() -> connectorMetrics.activeStreams() == 0);
      for (Channel c : sessions.connections(TUNNEL)) {
        await().atMost(STEP).until(() -> onLoop(c, Http2Connection::numActiveStreams) == 0);
      }
      // And no healthy connection was taken for dead along the way.
      List<Channel> expected = new ArrayList<>(survivors);
      expected.add(replacement);
      assertThat(connector.connections()).containsExactlyInAnyOrderElementsOf(expected);
    } finally {
      held.forEach(h -> h.caller.close());
      edges.forEach(EdgeSession::close);
      network.close();
    }
  }

  @Test
  void anUnreachableProxyRefusesStreamsWithoutCostingTheConnection() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    EdgeConnection connection = EdgeConnection.connect(group, listener.address(), "edge.test",
        edgePki.clientContext(), token.encode(), URI.create("ws://127.0.0.1:" + closedPort + "/"), null,
        connectorMetrics, LIVENESS).get(STEP.toMillis(), MILLISECONDS);
    await().atMost(STEP).until(() -> sessions.count(TUNNEL) == 1);
    EdgeStreams streams = new EdgeStreams(sessions);
    // More refusals than the 200 resets in 30 s after which an HTTP/2 server (here the connector)
    // takes its peer for an attacker and closes the connection.
    for (int i = 0; i < 250; i++) {
      CompletableFuture<Channel> refused = streams.open(TUNNEL, HOST);
      assertThatThrownBy(() -> refused.get(STEP.toMillis(), MILLISECONDS)).as("stream %d", i)
          .hasCauseInstanceOf(StreamRefusedException.class).hasMessageContaining("connector answered 502");
    }
    assertThat(connection.channel().isActive()).isTrue();
    assertThat(sessions.connections(TUNNEL)).hasSize(1);
  }

  ConnectorSupervisor supervisor(InetSocketAddress edge) {
    URI origin = URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/");
    return new ConnectorSupervisor(List.of(edge), CONNECTIONS,
        addr -> EdgeConnection.connect(group, addr, "edge.test", edgePki.clientContext(), token.encode(), origin, null,
            connectorMetrics, LIVENESS).thenApply(EdgeConnection::channel),
        (task, delay) -> group.schedule(task, delay.toMillis(), MILLISECONDS),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Math::random), Clock.systemUTC(),
        Duration.ofSeconds(30));
  }

  /** Closes the socket beneath TLS and HTTP/2, with a reset: the peer gets no GOAWAY and no close_notify. */
  static void resetUnderThePipeline(Channel c) {
    c.eventLoop().submit(() -> {
      c.config().setOption(ChannelOption.SO_LINGER, 0);
      c.unsafe().close(c.unsafe().voidPromise());
    }).syncUninterruptibly();
  }

  /** Reads an HTTP/2 connection's state on its event loop. */
  static <T> T onLoop(Channel connection, Function<Http2Connection, T> read) throws Exception {
    return connection.eventLoop()
        .submit(() -> read.apply(connection.pipeline().get(Http2FrameCodec.class).connection()))
        .get(STEP.toMillis(), MILLISECONDS);
  }

  static Duration since(long start, long end) {
    return Duration.ofNanos(end - start);
  }

  static int succeeded(Queue<Outcome> outcomes, Predicate<Outcome> which) {
    return (int) outcomes.stream().filter(o -> o.failure == null && which.test(o)).count();
  }

  /** A load worker: request after request, each on a new stream, until told to stop. */
  static void load(EdgeSession edge, SslContext inner, AtomicBoolean stop, Queue<Outcome> outcomes) {
    for (long n = 0; !stop.get(); n++) {
      long started = System.nanoTime();
      Throwable failure = null;
      try {
        if (n % 3 == 0) {
          echoThroughMcp(edge, inner);
        } else {
          bytesThroughFiles(edge, inner);
        }
      } catch (Throwable e) {
        failure = e;
      }
      outcomes.add(new Outcome(started, System.nanoTime(), failure));
    }
  }

  /** An MCP session on a new stream: initialize, then the echo tool returns a fresh marker. */
  static void echoThroughMcp(EdgeSession edge, SslContext inner) throws Exception {
    try (TestCaller c = over(edge, HOST, inner)) {
      Map<String, String> json = Map.of("Content-Type", "application/json",
          "Accept", "application/json, text/event-stream");
      TestCaller.Response init = ask(c, HOST, json, """
          {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
           "capabilities":{},"clientInfo":{"name":"fault-it","version":"1"}}}""");
      assertThat(init.status()).isEqualTo(200);
      assertThat(init.text()).contains("mcptunnel-sample-server");
      Map<String, String> session = Map.of("Content-Type", "application/json",
          "Accept", "application/json, text/event-stream", "Mcp-Session-Id", init.headers().get("Mcp-Session-Id"),
          "MCP-Protocol-Version", "2025-06-18");
      assertThat(ask(c, HOST, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").status())
          .isEqualTo(202);
      String marker = "marker-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
      TestCaller.Response echoed = ask(c, HOST, session, """
          {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"%s"}}}"""
          .formatted(marker));
      assertThat(echoed.status()).isEqualTo(200);
      assertThat(echoed.text()).contains("\"text\":\"" + marker + "\"");
    }
  }

  /** Up to 64 KiB of seeded bytes from the files server on a new stream, compared byte for byte. */
  static void bytesThroughFiles(EdgeSession edge, SslContext inner) throws Exception {
    int n = 1 + ThreadLocalRandom.current().nextInt(64 * 1024);
    long seed = ThreadLocalRandom.current().nextLong(1 << 20);
    try (TestCaller c = over(edge, FILES, inner)) {
      TestCaller.Response r = step("GET /bytes", c.send(TestCaller.request(HttpMethod.GET, FILES,
          "/bytes?n=" + n + "&seed=" + seed, Map.of(), null)));
      assertThat(r.status()).isEqualTo(200);
      byte[] expected = new byte[n];
      HttpTestServer.fill(expected, 0, seed);
      assertThat(Arrays.equals(r.body(), expected)).as("%d bytes, seed %d", n, seed).isTrue();
    }
  }

  /** A new stream through the edge with the inner TLS up, each step bounded. */
  static TestCaller over(EdgeSession edge, String host, SslContext inner) throws Exception {
    Channel stream = step("opening a stream", edge.openStream(host));
    try {
      return step("the inner TLS handshake", TestCaller.over(stream, host, inner));
    } catch (Exception e) {
      stream.close();
      throw e;
    }
  }

  static TestCaller.Response ask(TestCaller c, String host, Map<String, String> headers, String body) throws Exception {
    return step("POST /mcp", c.send(TestCaller.request(HttpMethod.POST, host, "/mcp", headers,
        body.getBytes(StandardCharsets.UTF_8))));
  }

  /** Waits for one step of a request, at most {@link #STEP}: longer is a hang, reported as such. */
  static <T> T step(String what, CompletableFuture<T> step) throws Exception {
    try {
      return step.get(STEP.toMillis(), MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " hung for " + STEP, e);
    }
  }

  /** A server-sent-event response that stays open (until {@code releaseSse}) after its first event. */
  record Held(TestCaller caller, StringBuffer text, CompletableFuture<Void> end, AtomicLong endedAt) {
    static Held open(EdgeSession edge, SslContext inner) throws Exception {
      TestCaller c = over(edge, FILES, inner);
      Held h = new Held(c, new StringBuffer(), new CompletableFuture<>(), new AtomicLong());
      h.end.whenComplete((v, e) -> h.endedAt.set(System.nanoTime()));
      c.stream(TestCaller.request(HttpMethod.GET, FILES, "/sse", Map.of(), null),
          TestCaller.Listener.of(head -> { }, b -> h.text.append(b.toString(StandardCharsets.UTF_8)), h.end));
      await().atMost(STEP).until(() -> h.text.toString().contains("data: first\n\n"));
      return h;
    }
  }
}
