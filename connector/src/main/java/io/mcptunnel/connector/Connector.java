package io.mcptunnel.connector;

import io.mcptunnel.common.AdminHttpServer;
import io.mcptunnel.common.Backoff;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.netty.Transports;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running connector: keeps {@code haConnections} outbound connections to the edges, relays the
 * streams they carry to the proxy, and serves {@code /ready} and {@code /metrics} on the admin
 * address, its only listening socket. {@link #drain()} is the graceful stop (SIGTERM).
 */
public final class Connector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
  /** A connection that stayed up this long counts as healthy again: its slot's backoff restarts. */
  private static final Duration HEALTHY_AFTER = Duration.ofSeconds(30);
  private static final long DRAIN_POLL_MS = 20;
  private static final Duration GOAWAY_SETTLE = Duration.ofMillis(200);

  private final ConnectorConfig config;
  private final EventLoopGroup group;
  private final ConnectorMetrics metrics;
  private final ConnectorSupervisor supervisor;
  private final AdminHttpServer admin;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CompletableFuture<Boolean> stopped = new CompletableFuture<>();

  private Connector(ConnectorConfig config, EventLoopGroup group, PrometheusMeterRegistry registry) {
    this.config = config;
    this.group = group;
    this.metrics = new ConnectorMetrics(registry);
    SslContext edgeTls = ConnectorTls.edgeClient(config.edgeCaFile());
    SslContext originTls = config.origin().getScheme().equals("wss") ? ConnectorTls.originClient() : null;
    this.supervisor = new ConnectorSupervisor(config.edges(), config.haConnections(),
        edge -> attempt(edge, edgeTls, originTls), this::schedule, Backoff.standard(), Clock.systemUTC(), HEALTHY_AFTER)
        .onRetry(metrics::reconnecting);
    // Bound before any edge is dialled: a taken admin port fails the start instead of half-running.
    this.admin = startAdmin(config.adminAddress(), registry);
  }

  /** Starts dialling the edges; fails (with nothing left running) if the admin address cannot be bound. */
  public static Connector start(ConnectorConfig config) {
    EventLoopGroup group = Transports.group("mcptunnel-connector", 0);
    Connector c;
    try {
      c = new Connector(config, group, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    c.supervisor.start();
    String edges = String.join(",", config.edges().stream().map(ConnectorSupervisor::describe).toList());
    LOG.atInfo().addKeyValue("edges", edges).addKeyValue("edge_name", config.edgeServerName())
        .addKeyValue("ha_connections", config.haConnections()).addKeyValue("origin", config.origin().toString())
        .addKeyValue("admin", ConnectorSupervisor.describe(c.adminAddress())).log("connector started");
    if (!c.adminAddress().getAddress().isLoopbackAddress()) {
      LOG.atWarn().log("the admin address is not loopback: /ready and /metrics are reachable from the network");
    }
    return c;
  }

  private CompletableFuture<Channel> attempt(InetSocketAddress edge, SslContext edgeTls, SslContext originTls) {
    String token;
    try {
      token = config.token().get(); // re-read per attempt: a rotated token file applies on reconnect
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return EdgeConnection.connect(group, edge, config.edgeServerName(), edgeTls, token, config.origin(), originTls,
        metrics).thenApply(EdgeConnection::channel);
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      group.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // the connector is shutting down: no more retries
    }
  }

  /** {@code /ready} and {@code /metrics}: the connector's only listening socket. */
  private AdminHttpServer startAdmin(InetSocketAddress address, PrometheusMeterRegistry registry) {
    try {
      return AdminHttpServer.start(address, "mcptunnel-connector-admin", Map.of(
          "/ready", AdminHttpServer.readiness(this::ready),
          "/metrics", AdminHttpServer.metrics(registry::scrape)));
    } catch (IOException e) {
      throw new McptunnelException("admin address " + address.getHostString() + ":" + address.getPort()
          + ": cannot listen: " + e.getMessage(), e);
    }
  }

  /** Ready while at least one edge connection is up and no drain has begun (the edge sends no new streams then). */
  public boolean ready() {
    return !draining.get() && supervisor.liveConnections() > 0;
  }

  public int liveConnections() {
    return supervisor.liveConnections();
  }

  public int activeStreams() {
    return metrics.activeStreams();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  /** Completes once the connector has stopped: {@code true} when it drained cleanly. */
  public CompletableFuture<Boolean> stopped() {
    return stopped;
  }

  /**
   * The graceful stop: a GOAWAY on every edge connection (the edge opens no new streams on it), no
   * more reconnects, then waits until the in-flight streams have finished or the grace period has
   * passed, and closes everything. Streams still open then are cut off.
   *
   * @return whether every stream finished within the grace period
   */
  public boolean drain() {
    if (!draining.compareAndSet(false, true)) {
      return stopped.join();
    }
    supervisor.stopReconnecting();
    List<Channel> connections = supervisor.connections();
    LOG.atInfo().addKeyValue("connections", connections.size()).addKeyValue("active_streams", metrics.activeStreams())
        .addKeyValue("grace_period", config.gracePeriod().toString()).log("draining");
    for (Channel ch : connections) {
      ch.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
    }
    long start = System.nanoTime();
    long deadline = start + config.gracePeriod().toNanos();
    // Even with nothing in flight, close only a moment after the GOAWAY: closing a socket with
    // unread input (say the edge's SETTINGS ack) sends a reset, which can destroy the GOAWAY before
    // the edge has read it.
    long settled = start + Math.min(GOAWAY_SETTLE.toNanos(), config.gracePeriod().toNanos());
    while ((metrics.activeStreams() > 0 || System.nanoTime() < settled && anyOpen(connections))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(DRAIN_POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    int left = metrics.activeStreams();
    boolean clean = left == 0;
    if (clean) {
      LOG.atInfo().log("drained");
    } else {
      LOG.atWarn().addKeyValue("streams_cut_off", left).log("drained: grace period over, closing open streams");
    }
    shutdown(clean);
    return clean;
  }

  private static boolean anyOpen(List<Channel> connections) {
    return connections.stream().anyMatch(Channel::isActive);
  }

  /** Stops at once, cutting off open streams. */
  @Override
  public void close() {
    draining.set(true);
    shutdown(metrics.activeStreams() == 0);
  }

  private void shutdown(boolean clean) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    admin.close();
    if (!clean) {
      // Cut off means at once: closing through the pipeline would wait on the streams still open
      // (their end of stream, TLS close_notify, the HTTP/2 graceful close), so close the sockets.
      for (Channel ch : supervisor.connections()) {
        ch.eventLoop().execute(() -> ch.unsafe().close(ch.voidPromise()));
      }
    }
    supervisor.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    stopped.complete(clean);
  }
}
