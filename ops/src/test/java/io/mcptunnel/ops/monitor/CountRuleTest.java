package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.ops.monitor.Alert.Severity;
import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CountRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-26T20:00:00Z");
  private static final LogEvent LOST = LogLineParser.parse(Lines.edgeConnectionLost()).orElseThrow();

  private static CountRule burst(int threshold) {
    return new CountRule("warn-error-burst", Kind.WARN_OR_ERROR, Severity.WARNING, "WARN/ERROR lines",
        threshold, Duration.ofMinutes(1));
  }

  /** {@code spacingSeconds} apart, {@code n} signals: does the last one alert? */
  @ParameterizedTest(name = "threshold {0}, {1} signals {2}s apart -> alert {3}")
  @CsvSource({
      "3, 2, 1, false",
      "3, 3, 1, true",
      "3, 3, 29, true",   // first at 0s, third at 58s: still inside 1m
      "3, 3, 30, false",  // first at 0s has left the window when the third arrives at 60s
      "1, 1, 0, true",
      "0, 50, 0, false",  // 0 turns the rule off
  })
  void countsWithinTheWindow(int threshold, int n, int spacingSeconds, boolean alerts) {
    CountRule rule = burst(threshold);
    List<Alert> last = List.of();
    for (int i = 0; i < n; i++) {
      last = rule.accept(Signal.of("connector", Kind.WARN_OR_ERROR, LOST), T0.plusSeconds((long) i * spacingSeconds));
    }
    assertThat(!last.isEmpty()).isEqualTo(alerts);
  }

  @Test
  void alertSaysWhyWithObservedThresholdWindowAndExample() {
    CountRule rule = burst(2);
    rule.accept(Signal.of("connector", Kind.WARN_OR_ERROR, LOST), T0);
    Alert a = rule.accept(Signal.of("connector", Kind.WARN_OR_ERROR, LOST), T0.plusSeconds(5)).get(0);
    assertThat(a.summary()).isEqualTo("2 WARN/ERROR lines in 1m0s (threshold 2)");
    assertThat(a.observed()).isEqualTo(2);
    assertThat(a.threshold()).isEqualTo(2);
    assertThat(a.firstSeen()).isEqualTo(T0);
    assertThat(a.example()).containsEntry("msg", "edge connection lost").containsEntry("slot", "1");
  }

  @Test
  void sourcesAndKindsAreCountedApart() {
    CountRule rule = burst(2);
    assertThat(rule.accept(Signal.of("a", Kind.WARN_OR_ERROR, LOST), T0)).isEmpty();
    assertThat(rule.accept(Signal.of("b", Kind.WARN_OR_ERROR, LOST), T0)).isEmpty();
    assertThat(rule.accept(Signal.of("a", Kind.REQUEST, LOST), T0)).isEmpty();
    assertThat(rule.accept(Signal.of("a", Kind.WARN_OR_ERROR, LOST), T0)).hasSize(1);
  }

  @Test
  void aMetricSignalCountsItsWholeIncrease() {
    CountRule rule = new CountRule("tls-handshake-failures", Kind.TLS_FAILURE, Severity.WARNING,
        "TLS handshake failures", 5, Duration.ofMinutes(1));
    Alert a = rule.accept(new Signal("proxy-metrics", Kind.TLS_FAILURE, 7, null), T0).get(0);
    assertThat(a.observed()).isEqualTo(7);
    assertThat(a.example()).isEmpty();
  }
}
