package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine on captured component lines: steady traffic raises nothing; each planted anomaly
 * raises exactly its alert; a burst is one alert per cooldown.
 */
class MonitorEngineTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T20:00:00Z"));
  private final List<Alert> alerts = new ArrayList<>();
  private MonitorEngine engine;

  @BeforeEach
  void start() {
    MonitorRules.Builder b = MonitorRules.builder();
    b.learn = Duration.ofMinutes(5);
    engine = new MonitorEngine(b.build(), KnownAddresses.inMemory(clock.instant(), b.learn), clock, alerts::add);
  }

  /** 20 minutes of 2 requests/s through the proxy and a connector registering from its usual host. */
  private void steadyTraffic(int minutes) {
    for (int s = 0; s < minutes * 60; s += 5) {
      for (int i = 0; i < 10; i++) {
        engine.line("proxy", Lines.request(200));
      }
      if (s % 300 == 0) {
        engine.line("edge", Lines.registered("/10.1.0.7:" + (40000 + s)));
      }
      clock.advance(Duration.ofSeconds(5));
      engine.tick();
    }
  }

  private List<String> rules() {
    return alerts.stream().map(a -> a.rule() + " " + a.source()).toList();
  }

  @Test
  void steadyTrafficRaisesNothing() {
    steadyTraffic(40);
    assertThat(alerts).isEmpty();
  }

  @Test
  void eachPlantedAnomalyRaisesItsAlert() {
    steadyTraffic(20);
    engine.line("proxy", Lines.ipRefusal("10.9.9.9"));
    assertThat(rules()).containsExactly("ip-validation-refusal proxy");

    for (int i = 0; i < 5; i++) {
      engine.line("proxy", Lines.proxyTlsFailure());
    }
    assertThat(rules()).containsExactly("ip-validation-refusal proxy", "tls-handshake-failures proxy");

    engine.line("edge", Lines.edgeTokenRefused("token rejected: rotated"));
    engine.line("connector", Lines.connectorRejected("token rejected: rotated"));
    assertThat(rules()).endsWith("token-rejected edge", "token-rejected connector");

    engine.line("edge", Lines.registered("/192.0.2.50:41000"));
    assertThat(rules()).last().isEqualTo("new-connector-address edge");

    alerts.clear();
    for (int i = 0; i < 12; i++) {
      engine.line("connector", Lines.edgeConnectionLost());
    }
    assertThat(rules()).containsExactly("warn-error-burst connector");

    alerts.clear();
    for (int s = 0; s < 60; s += 5) {
      for (int i = 0; i < 150; i++) {
        engine.line("proxy", Lines.request(200));
      }
      clock.advance(Duration.ofSeconds(5));
      engine.tick();
    }
    assertThat(rules()).containsExactly("request-rate-spike proxy");
  }

  @Test
  void aBurstIsOneAlertPerCooldown() {
    for (int i = 0; i < 500; i++) {
      engine.line("proxy", Lines.ipRefusal("10.9.9." + (i % 250)));
    }
    // 500 refusals, each also a WARN line: one alert of each rule.
    assertThat(rules()).containsExactly("ip-validation-refusal proxy", "warn-error-burst proxy");
    assertThat(alerts.get(0).line()).isEqualTo("2026-11-26T20:00:00Z CRITICAL ip-validation-refusal [proxy] "
        + "1 IP-validation refusals in 5m0s (threshold 1); example: "
        + "msg=\"IP validation failed: 10.9.9.0 is not in allowed_ips\" reason=NOT_ALLOWED request_id=r2 route=db "
        + "upstream=10.9.9.0:5432");
    clock.advance(Duration.ofMinutes(5));
    engine.line("proxy", Lines.ipRefusal("10.9.9.9"));
    assertThat(rules()).containsExactly("ip-validation-refusal proxy", "warn-error-burst proxy",
        "ip-validation-refusal proxy");
    assertThat(alerts.get(2).summary()).isEqualTo("1 IP-validation refusals in 5m0s (threshold 1)");
  }

  @Test
  void scrapesFeedTheSameRules() {
    String before = "mcptunnel_proxy_upstream_refused_total{reason=\"NOT_ALLOWED\",route=\"db\"} 0.0\n";
    String after = "mcptunnel_proxy_upstream_refused_total{reason=\"NOT_ALLOWED\",route=\"db\"} 2.0\n";
    engine.scraped("proxy-metrics", PrometheusText.parse(before));
    assertThat(alerts).isEmpty();
    engine.scraped("proxy-metrics", PrometheusText.parse(after));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.rule()).isEqualTo("ip-validation-refusal");
      assertThat(a.summary()).isEqualTo("2 IP-validation refusals in 5m0s (threshold 1)");
    });
  }

  @Test
  void webhookJsonCarriesEveryField() throws Exception {
    engine.line("edge", Lines.edgeTokenRefused("tunnel archived"));
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(alerts.get(0).json());
    assertThat(json.get("rule").asText()).isEqualTo("token-rejected");
    assertThat(json.get("severity").asText()).isEqualTo("critical");
    assertThat(json.get("source").asText()).isEqualTo("edge");
    assertThat(json.get("summary").asText()).isEqualTo("1 rejected connector tokens in 5m0s (threshold 1)");
    assertThat(json.get("observed").asDouble()).isEqualTo(1);
    assertThat(json.get("threshold").asDouble()).isEqualTo(1);
    assertThat(json.get("window").asText()).isEqualTo("5m0s");
    assertThat(json.get("first_seen").asText()).isEqualTo("2026-11-26T20:00:00Z");
    assertThat(json.get("example").get("reason").asText()).isEqualTo("tunnel archived");
  }
}
