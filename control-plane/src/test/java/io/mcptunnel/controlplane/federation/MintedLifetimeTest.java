package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MintedLifetimeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @ParameterizedTest(name = "rule {0} s, JWT expires in {1} s -> {2} s")
  @CsvSource({
      "3600, 3600, 3600",   // 2 × 3600 > rule: the rule wins
      "3600, 1800, 3600",   // 2 × 1800 == rule
      "3600, 1799, 3598",   // 2 × remaining wins
      "3600, 300, 600",
      "3600, 31, 62",
      "3600, 30, 60",       // exactly the floor
      "3600, 29, 60",       // below the floor: 60
      "3600, 0, 60",        // expired, inside skew: floor
      "3600, -25, 60",
      "60, 86400, 60",      // smallest rule lifetime
      "86400, 86400, 86400",
      "86400, 100000, 86400",
  })
  void table(int rule, long remaining, long expected) {
    assertThat(MintedLifetime.of(rule, NOW.plusSeconds(remaining), NOW).toSeconds()).isEqualTo(expected);
  }
}
