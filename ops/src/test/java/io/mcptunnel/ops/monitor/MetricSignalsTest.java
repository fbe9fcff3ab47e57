package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.ops.monitor.Signal.Kind;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricSignalsTest {
  private static String proxy(int ok, int denied, int tls, int refused) {
    return """
        # HELP mcptunnel_proxy_requests_seconds
        # TYPE mcptunnel_proxy_requests_seconds summary
        mcptunnel_proxy_requests_seconds_count{route="echo",status="200"} %d
        mcptunnel_proxy_requests_seconds_sum{route="echo",status="200"} 0.5
        mcptunnel_proxy_requests_seconds_count{route="echo",status="502"} %d
        # TYPE mcptunnel_proxy_tls_handshake_failures_total counter
        mcptunnel_proxy_tls_handshake_failures_total %d.0
        mcptunnel_proxy_upstream_refused_total{reason="NOT_ALLOWED",route="db"} %d.0
        mcptunnel_proxy_bytes_total{direction="in"} 12345.0
        """.formatted(ok, denied, tls, refused);
  }

  private static Map<Kind, Long> increase(MetricSignals m, String body) {
    return m.update("proxy", PrometheusText.parse(body)).stream()
        .collect(Collectors.toMap(Signal::kind, Signal::count));
  }

  @Test
  void firstScrapeSetsTheStartThenIncreasesAreSignals() {
    MetricSignals m = new MetricSignals();
    assertThat(increase(m, proxy(100, 3, 1, 0))).isEmpty();
    assertThat(increase(m, proxy(100, 3, 1, 0))).isEmpty();
    assertThat(increase(m, proxy(130, 5, 4, 2)))
        .containsExactlyInAnyOrderEntriesOf(Map.of(Kind.REQUEST, 32L, Kind.TLS_FAILURE, 3L, Kind.IP_REFUSAL, 2L));
  }

  @Test
  void aCounterThatWentDownWasResetSoItsValueIsNew() {
    MetricSignals m = new MetricSignals();
    increase(m, proxy(100, 0, 0, 0));
    assertThat(increase(m, proxy(7, 0, 0, 0))).containsExactlyEntriesOf(Map.of(Kind.REQUEST, 7L));
  }

  @Test
  void edgeAndConnectorCounters() {
    MetricSignals m = new MetricSignals();
    String before = "mcptunnel_edge_caller_refusals_total{status=\"tls\"} 1.0\n"
        + "mcptunnel_edge_caller_refusals_total{status=\"403\"} 1.0\n"
        + "mcptunnel_connector_rejections_total{reason=\"token rejected: rotated\"} 0.0\n";
    String after = "mcptunnel_edge_caller_refusals_total{status=\"tls\"} 3.0\n"
        + "mcptunnel_edge_caller_refusals_total{status=\"403\"} 9.0\n"
        + "mcptunnel_connector_rejections_total{reason=\"token rejected: rotated\"} 1.0\n";
    increase(m, before);
    assertThat(increase(m, after)).containsExactlyInAnyOrderEntriesOf(Map.of(Kind.TLS_FAILURE, 2L, Kind.TOKEN_REJECTED, 1L));
  }

  @Test
  void prometheusLabelsWithEscapesAndCommas() {
    List<PrometheusText.Sample> s = PrometheusText.parse("m{a=\"x,\\\"y\\\"\",b=\"\"} 2.5 1700000000\nbroken{a= 1\n");
    assertThat(s).singleElement().satisfies(x -> {
      assertThat(x.name()).isEqualTo("m");
      assertThat(x.labels()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", "x,\"y\"", "b", ""));
      assertThat(x.value()).isEqualTo(2.5);
    });
  }
}
