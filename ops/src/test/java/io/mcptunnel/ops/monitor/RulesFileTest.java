package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulesFileTest {
  @Test
  void everySectionSetsItsFieldsAndTheRestKeepDefaults() {
    MonitorRules.Builder b = MonitorRules.builder();
    RulesFile.parse("""
        cooldown: 1m
        warn_error_burst: {count: 20, window: 30s}
        request_rate: {factor: 3, window: 2m, baseline: 1h, warmup: 15m, min_rate: 0.5}
        ip_refusals: {count: 2}
        tls_handshake_failures: {window: 5m}
        token_rejections: {count: 0}
        new_connector_address: {learn: 0s}
        scrape_failures: {count: 5}
        """, "rules.yaml", b);
    MonitorRules r = b.build();
    assertThat(r.cooldown()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.burstCount()).isEqualTo(20);
    assertThat(r.burstWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.rateFactor()).isEqualTo(3);
    assertThat(r.rateBaseline()).isEqualTo(Duration.ofHours(1));
    assertThat(r.rateMin()).isEqualTo(0.5);
    assertThat(r.ipRefusals()).isEqualTo(2);
    assertThat(r.ipWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.tlsFailures()).isEqualTo(5);
    assertThat(r.tlsWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.tokenRejections()).isZero();
    assertThat(r.learn()).isZero();
    assertThat(r.scrapeFailures()).isEqualTo(5);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "unknown top field | warn_burst: {count: 1} | unknown field \"warn_burst\" (known fields: cooldown, ip_refusals, "
          + "new_connector_address, request_rate, scrape_failures, tls_handshake_failures, token_rejections, warn_error_burst)",
      "unknown nested field | ip_refusals: {treshold: 1} | unknown field \"ip_refusals.treshold\" (known fields of ip_refusals: count, window)",
      "not a count | ip_refusals: {count: many} | ip_refusals.count: \"many\" (expected a whole number, 0 turns the rule off)",
      "negative count | tls_handshake_failures: {count: -1} | tls_handshake_failures.count: -1 (expected a count >= 1, or 0 to turn the rule off)",
      "bad duration | warn_error_burst: {window: soon} | warn_error_burst.window: \"soon\" is not a duration (expected a number with a unit, e.g. 30s, 2m, 1h30m)",
      "factor too small | request_rate: {factor: 0.5} | request_rate.factor: 0.5 (expected 0 to turn the rule off, or more than 1)",
      "baseline not longer | request_rate: {window: 5m, baseline: 5m} | request_rate.baseline: 5m0s (expected longer than request_rate.window 5m0s)",
  })
  void badFilesAreRefusedNamingTheField(String name, String yaml, String message) {
    assertThatThrownBy(() -> {
      MonitorRules.Builder b = MonitorRules.builder();
      RulesFile.parse(yaml, "rules.yaml", b);
      b.build();
    }).isInstanceOf(MonitorException.class).hasMessage(message);
  }
}
