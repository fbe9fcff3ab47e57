package io.mcptunnel.edge.server;

import io.mcptunnel.edge.CallerStreamEvents;
import io.mcptunnel.edge.ConnectorSessions;
import io.mcptunnel.edge.registry.ControlPlaneTunnelRegistry;
import io.mcptunnel.edge.registry.TunnelRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * The edge's meters: connections per tunnel computed at scrape time from the state the edge already
 * keeps, and caller streams opened (per tunnel) and refused (per status) as the caller listener
 * reports them. The tunnel label is bounded by the registry, never taken from a request.
 */
final class EdgeMetrics implements CallerStreamEvents {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MultiGauge connections;
  private final TunnelRegistry tunnels;
  private final ConnectorSessions sessions;

  EdgeMetrics(TunnelRegistry tunnels, ConnectorSessions sessions, IntSupplier callers) {
    this.tunnels = tunnels;
    this.sessions = sessions;
    connections = MultiGauge.builder("mcptunnel.edge.connector.connections")
        .description("Live connector connections per tunnel").register(registry);
    Gauge.builder("mcptunnel.edge.tunnels", tunnels, t -> t.all().size())
        .description("Tunnels in the registry, archived ones included").register(registry);
    // Held strongly: the supplier is a method reference nothing else keeps, and a gauge only holds
    // its object weakly, so after a GC the gauge would vanish from /metrics.
    Gauge.builder("mcptunnel.edge.callers", callers, IntSupplier::getAsInt).strongReference(true)
        .description("Callers configured").register(registry);
    if (tunnels instanceof ControlPlaneTunnelRegistry feed) {
      // How fresh the control plane's state is: the age grows during an outage (fail static).
      Gauge.builder("mcptunnel.edge.tunnel_state.version", feed, ControlPlaneTunnelRegistry::version)
          .description("State version of the tunnel state from the control plane").register(registry);
      Gauge.builder("mcptunnel.edge.tunnel_state.sync.age", feed,
              f -> Duration.between(f.lastSync(), Instant.now()).toMillis() / 1000.0)
          .description("Seconds since the control plane's feed last answered").baseUnit("seconds")
          .register(registry);
    }
  }

  @Override
  public void opened(String tunnelId) {
    registry.counter("mcptunnel.edge.caller.streams", "tunnel", tunnelId).increment();
  }

  @Override
  public void refused(int status) {
    registry.counter("mcptunnel.edge.caller.refusals", "status", Integer.toString(status)).increment();
  }

  /** Counted with the stream refusals, under status {@code tls}, so one query shows every refused caller. */
  @Override
  public void handshakeRefused() {
    registry.counter("mcptunnel.edge.caller.refusals", "status", "tls").increment();
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Prometheus text; the per-tunnel rows are rebuilt first so removed tunnels disappear. */
  String scrape() {
    connections.register(tunnels.all().stream()
        .map(t -> MultiGauge.Row.of(Tags.of("tunnel", t.id()), sessions.count(t.id())))
        .toList(), true);
    return registry.scrape();
  }

  void close() {
    registry.close();
  }
}
