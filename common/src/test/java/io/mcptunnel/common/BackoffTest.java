package io.mcptunnel.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

  @ParameterizedTest
  @CsvSource({
      // attempt, random, expected ms (base 1 s, max 60 s)
      "0, 1.0, 1000",
      "0, 0.0, 500",
      "1, 1.0, 2000",
      "5, 1.0, 32000",
      "6, 1.0, 60000",
      "6, 0.0, 30000",
      "40, 1.0, 60000",
      "70, 0.5, 45000",
  })
  void doublesWithJitterUpToTheCap(int attempt, double random, long expectedMs) {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), () -> random);
    assertThat(b.delay(attempt)).isEqualTo(Duration.ofMillis(expectedMs));
  }

  @ParameterizedTest
  @CsvSource({"0, 1000", "2000, 1000", "-5, 10"})
  void refusesNonsense(long baseMs, long maxMs) {
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(baseMs), Duration.ofMillis(maxMs), () -> 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
