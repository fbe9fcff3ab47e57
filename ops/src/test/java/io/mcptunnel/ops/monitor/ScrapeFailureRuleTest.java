package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeFailureRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-26T20:00:00Z");
  private static final LogEvent REFUSED = new LogEvent("", "", "scrape http://127.0.0.1:9 failed: connection refused", Map.of());

  @Test
  void alertsOnceOnTheNthConsecutiveFailureAndAgainAfterARecovery() {
    ScrapeFailureRule rule = new ScrapeFailureRule(3);
    assertThat(rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0)).isEmpty();
    assertThat(rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0.plusSeconds(10))).isEmpty();
    Alert a = rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0.plusSeconds(20)).get(0);
    assertThat(a.summary()).isEqualTo("3 consecutive metrics scrapes failed (threshold 3): "
        + "scrape http://127.0.0.1:9 failed: connection refused");
    assertThat(a.firstSeen()).isEqualTo(T0);
    assertThat(rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0.plusSeconds(30))).isEmpty();

    rule.accept(new Signal("proxy", Kind.SCRAPE_OK, 1, null), T0.plusSeconds(40));
    rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0.plusSeconds(50));
    rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0.plusSeconds(60));
    assertThat(rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0.plusSeconds(70))).hasSize(1);
  }

  @Test
  void aSuccessInBetweenResetsTheCount() {
    ScrapeFailureRule rule = new ScrapeFailureRule(2);
    rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0);
    rule.accept(new Signal("proxy", Kind.SCRAPE_OK, 1, null), T0);
    assertThat(rule.accept(Signal.of("proxy", Kind.SCRAPE_FAILED, REFUSED), T0)).isEmpty();
  }
}
