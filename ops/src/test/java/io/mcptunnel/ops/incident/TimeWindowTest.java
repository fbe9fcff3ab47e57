package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeWindowTest {
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  @ParameterizedTest
  @CsvSource({
      "2026-05-01T10:00:00Z, 2026-05-01T10:00:00Z",
      "2026-05-01T12:00:00+02:00, 2026-05-01T10:00:00Z",
      "2h, 2026-05-01T10:00:00Z",
      "90m, 2026-05-01T10:30:00Z",
      "1h30m, 2026-05-01T10:30:00Z"})
  void rfc3339OrADurationBackFromNow(String text, String expected) {
    assertThat(TimeWindow.parse("--since", text, NOW)).isEqualTo(Instant.parse(expected));
  }

  @Test
  void badInputNamesTheFlagAndTheForms() {
    assertThatThrownBy(() -> TimeWindow.parse("--since", "yesterday", NOW)).hasMessage("--since: \"yesterday\""
        + " (expected an RFC 3339 time such as 2026-05-01T10:00:00Z or a duration back from now such as 2h)");
    assertThatThrownBy(() -> new TimeWindow(NOW, NOW.minusSeconds(1)))
        .hasMessage("--until 2026-05-01T11:59:59Z is before --since 2026-05-01T12:00:00Z");
  }
}
