package io.mcptunnel.connector;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The connector's meters: live edge connections, streams, origin failures, reconnects. */
public final class ConnectorMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger streams = new AtomicInteger();

  public ConnectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("mcptunnel.connector.edge.connections", connections);
    registry.gauge("mcptunnel.connector.streams.active", streams);
  }

  public int liveConnections() {
    return connections.get();
  }

  /** Streams relaying right now; a drain waits for this to reach zero. */
  public int activeStreams() {
    return streams.get();
  }

  void connected() {
    connections.incrementAndGet();
  }

  void disconnected() {
    connections.decrementAndGet();
  }

  void streamOpened() {
    streams.incrementAndGet();
    registry.counter("mcptunnel.connector.streams").increment();
  }

  void streamClosed() {
    streams.decrementAndGet();
  }

  void reconnecting() {
    registry.counter("mcptunnel.connector.reconnects").increment();
  }

  void originFailed() {
    registry.counter("mcptunnel.connector.origin.failures").increment();
  }

  void rejected(String reason) {
    registry.counter("mcptunnel.connector.rejections", "reason", reason).increment();
  }
}
