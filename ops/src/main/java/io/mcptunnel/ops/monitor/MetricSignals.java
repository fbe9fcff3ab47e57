package io.mcptunnel.ops.monitor;

import io.mcptunnel.ops.monitor.PrometheusText.Sample;
import io.mcptunnel.ops.monitor.Signal.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns successive scrapes of one source into signals: the increase of each counter the rules
 * care about since the previous scrape. The first scrape only sets the starting point. A counter
 * that went down was reset (the component restarted), so its whole value is new.
 */
final class MetricSignals {
  private final Map<String, Map<String, Double>> previous = new HashMap<>();

  /** Which counter means which signal; null for a series that is none of them. */
  static Kind kind(Sample s) {
    return switch (s.name()) {
      case "mcptunnel_proxy_requests_seconds_count", "mcptunnel_edge_caller_streams_total" -> Kind.REQUEST;
      case "mcptunnel_proxy_tls_handshake_failures_total" -> Kind.TLS_FAILURE;
      case "mcptunnel_edge_caller_refusals_total" -> "tls".equals(s.labels().get("status")) ? Kind.TLS_FAILURE : null;
      case "mcptunnel_proxy_upstream_refused_total" -> Kind.IP_REFUSAL;
      case "mcptunnel_connector_rejections_total" -> Kind.TOKEN_REJECTED;
      default -> null;
    };
  }

  List<Signal> update(String source, List<Sample> samples) {
    Map<String, Double> before = previous.get(source);
    Map<String, Double> now = new HashMap<>();
    Map<Kind, Long> increase = new HashMap<>();
    for (Sample s : samples) {
      Kind kind = kind(s);
      if (kind == null) {
        continue;
      }
      now.put(s.series(), s.value());
      if (before != null) {
        double last = before.getOrDefault(s.series(), 0.0);
        double delta = s.value() >= last ? s.value() - last : s.value();
        increase.merge(kind, Math.round(delta), Long::sum);
      }
    }
    previous.put(source, now);
    List<Signal> out = new ArrayList<>();
    increase.forEach((kind, n) -> {
      if (n > 0) {
        out.add(new Signal(source, kind, n, null));
      }
    });
    return out;
  }
}
