package io.mcptunnel.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.netty.Transports;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.testing.TestPki;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connector facade against an edge-like peer: readiness, token re-reads, and the drain. */
class ConnectorTest {
  @TempDir Path dir;
  final EventLoopGroup group = Transports.group("test-edge", 2);
  final TestPki pki = TestPki.create("edge-ca");
  final AtomicReference<String> token = new AtomicReference<>("token-1");
  final HttpClient http = HttpClient.newHttpClient();
  TestEdge edge;
  Connector connector;
  /** An origin that accepts TCP but never answers the WebSocket handshake: its streams stay open. */
  ServerSocket stuckOrigin;

  @BeforeEach
  void start() throws Exception {
    IssuedCertificate cert = pki.server("edge.test");
    SslContext tls = SslContextBuilder.forServer(cert.privateKey(), cert.certificate()).protocols("TLSv1.3").build();
    edge = TestEdge.start(group, tls, new InetSocketAddress("127.0.0.1", 0));
    stuckOrigin = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    edge.close();
    stuckOrigin.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  Connector connect(int connections, Duration grace) {
    connector = Connector.start(new ConnectorConfig(List.of(edge.address()), "edge.test",
        Optional.of(pki.writeCa(dir.resolve("edge-ca.pem"))), token::get,
        URI.create("ws://127.0.0.1:" + stuckOrigin.getLocalPort() + "/"), connections, grace,
        new InetSocketAddress("127.0.0.1", 0)));
    return connector;
  }

  int get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.adminAddress().getPort() + path))
        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void readyOnlyWhileAnEdgeConnectionIsUp() throws Exception {
    connect(2, Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/ready") == 200);
    await().atMost(Duration.ofSeconds(10)).until(() -> connector.liveConnections() == 2);
    assertThat(edge.connections).hasSize(2);
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + connector.adminAddress().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("mcptunnel_connector_edge_connections 2.0");

    edge.close(); // the edge is gone: listener and connections
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/ready") == 503);
  }

  @Test
  void theTokenIsReadAgainOnEveryAttempt() {
    connect(1, Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> connector.liveConnections() == 1);
    assertThat(edge.tokens).containsExactly("token-1");

    token.set("token-2"); // e.g. the token file was rewritten after a rotation
    edge.dropConnections();
    await().atMost(Duration.ofSeconds(10)).until(() -> edge.tokens.size() == 2 && connector.liveConnections() == 1);
    assertThat(edge.tokens).containsExactly("token-1", "token-2");
  }

  @Test
  void aStreamThatEndsBeforeItsWebSocketIsUpHangsUpOnTheProxy() throws Exception {
    connect(1, Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> edge.connections.size() == 1 && connector.liveConnections() == 1);
    Http2StreamChannel stream = edge.openStream(edge.connections.get(0), TestEdge.queue());
    stuckOrigin.setSoTimeout(10_000);
    try (Socket origin = stuckOrigin.accept()) {
      stream.close(); // its caller went away, or its edge connection died, before the proxy answered
      // The connector hangs up at once rather than when its WebSocket handshake times out (10 s).
      origin.setSoTimeout(3_000);
      InputStream in = origin.getInputStream();
      while (in.read() != -1) {
        // the WebSocket upgrade request, then the end
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> connector.activeStreams() == 0);
  }

  @Test
  void drainWithNothingInFlightSendsGoAwayAndStopsAtOnce() {
    connect(2, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> edge.connections.size() == 2 && connector.liveConnections() == 2);

    long started = System.nanoTime();
    assertThat(connector.drain()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.connections.isEmpty());
    assertThat(edge.goAways.get()).as("GOAWAYs seen by the edge").isEqualTo(2);
    assertThat(connector.stopped()).isCompletedWithValue(true);
  }

  @Test
  void drainWaitsForAnOpenStreamAndCutsItOffAfterTheGracePeriod() throws Exception {
    connect(1, Duration.ofMillis(700));
    await().atMost(Duration.ofSeconds(10)).until(() -> edge.connections.size() == 1 && connector.liveConnections() == 1);
    edge.openStream(edge.connections.get(0), TestEdge.queue());
    await().atMost(Duration.ofSeconds(5)).until(() -> connector.activeStreams() == 1);

    long started = System.nanoTime();
    assertThat(connector.drain()).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    assertThat(edge.goAways.get()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.connections.isEmpty());
  }

  @Test
  void drainIsCleanWhenTheInFlightStreamFinishesWithinTheGracePeriod() throws Exception {
    connect(1, Duration.ofSeconds(20));
    await().atMost(Duration.ofSeconds(10)).until(() -> edge.connections.size() == 1 && connector.liveConnections() == 1);
    BlockingQueue<Http2HeadersFrame> responses = TestEdge.queue();
    Http2StreamChannel stream = edge.openStream(edge.connections.get(0), responses);
    await().atMost(Duration.ofSeconds(5)).until(() -> connector.activeStreams() == 1);

    CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(connector::drain);
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.goAways.get() == 1);
    assertThat(drained).isNotDone(); // the stream is still in flight
    assertThat(get("/ready")).isEqualTo(503); // no new streams are wanted while draining

    stream.close(); // the caller is done: the edge resets its stream
    assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.connections.isEmpty());
  }
}
