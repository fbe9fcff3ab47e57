package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestRateRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-26T20:00:00Z");
  private static final LogEvent REQ = LogLineParser.parse(Lines.request(200)).orElseThrow();

  private static RequestRateRule rule() {
    // factor 5, 1m window, 30m baseline, 10m warm-up, at least 1 request/s
    return new RequestRateRule(5, Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ofMinutes(10), 1, T0);
  }

  /**
   * Feeds {@code steadyPerTick} requests every 10s tick for {@code steadyMinutes}, then
   * {@code spikePerTick} for one more minute; returns the alerts of the spike minute.
   */
  private static List<Alert> run(RequestRateRule rule, int steadyPerTick, int steadyMinutes, int spikePerTick) {
    Instant t = T0;
    for (int i = 0; i < steadyMinutes * 6; i++) {
      t = t.plusSeconds(10);
      rule.accept(new Signal("proxy", Kind.REQUEST, steadyPerTick, REQ), t);
      assertThat(rule.tick(t)).as("steady traffic at %s", t).isEmpty();
    }
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      t = t.plusSeconds(10);
      rule.accept(new Signal("proxy", Kind.REQUEST, spikePerTick, REQ), t);
      alerts.addAll(rule.tick(t));
    }
    return alerts;
  }

  @ParameterizedTest(name = "{0}/tick for {1}m, then {2}/tick -> alert {3}")
  @CsvSource({
      "20, 30, 20, false",   // steady 2/s: nothing
      "20, 30, 60, false",   // 3x: below the factor
      "20, 30, 200, true",   // 10x after warm-up
      "20, 5, 200, false",   // 10x, but still warming up (5m + 1m < 10m)
      "0, 15, 5, false",     // from silence to 0.5/s: under the minimum rate
      "0, 15, 30, true",     // from silence to 3/s
      "1, 30, 8, false",     // 0.1/s to 0.8/s: 8x, but under the minimum rate
  })
  void alertsOnlyOnASpikeAboveFactorMinimumAndWarmup(int steady, int minutes, int spike, boolean alerts) {
    assertThat(!run(rule(), steady, minutes, spike).isEmpty()).as("alerts").isEqualTo(alerts);
  }

  @Test
  void summarySaysRateBaselineAndFactor() {
    List<Alert> alerts = run(rule(), 20, 30, 200);
    assertThat(alerts).isNotEmpty();
    Alert a = alerts.get(0);
    assertThat(a.rule()).isEqualTo("request-rate-spike");
    assertThat(a.summary()).matches("request rate \\d+\\.\\d\\d/s over 1m0s is above 5\\.0 x the baseline 2\\.\\d\\d/s "
        + "\\(learned over 30m0s; minimum rate 1\\.00/s\\)");
    assertThat(a.example()).containsEntry("msg", "request").containsEntry("route", "echo");
  }

  @Test
  void factorZeroTurnsItOff() {
    RequestRateRule off = new RequestRateRule(0, Duration.ofMinutes(1), Duration.ofMinutes(30), Duration.ZERO, 0, T0);
    off.accept(new Signal("proxy", Kind.REQUEST, 10_000, REQ), T0.plusSeconds(10));
    assertThat(off.tick(T0.plusSeconds(10))).isEmpty();
  }
}
