package io.mcptunnel.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
      "30s, PT30S",
      "2m, PT2M",
      "1h30m, PT1H30M",
      "2160h, PT2160H",
      "500ms, PT0.5S",
      "1.5s, PT1.5S",
      "0, PT0S",
      "1h0m0.25s, PT1H0.25S",
  })
  void parsesGoDurations(String text, Duration expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "30", "s", "-1s", "1d", "1h 30m", "", "30 s"})
  void refusesOtherText(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a duration");
  }

  @ParameterizedTest
  @CsvSource({"PT30S, 30s", "PT1H30M, 1h30m0s", "PT0.25S, 250ms", "PT2160H, 2160h0m0s", "PT1.5S, 1.5s"})
  void formatsLikeGo(Duration d, String expected) {
    assertThat(GoDuration.format(d)).isEqualTo(expected);
    assertThat(GoDuration.parse(expected)).isEqualTo(d);
  }
}
