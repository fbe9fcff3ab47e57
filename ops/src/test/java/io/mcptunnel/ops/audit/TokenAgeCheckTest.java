package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenAgeCheckTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  @ParameterizedTest
  @CsvSource({"0, false", "89, false", "90, false", "91, true", "400, true"})
  void olderThanTheMaximumIsMedium(int days, boolean finding) {
    var found = TokenAgeCheck.findings("data/tunnel-token", NOW.minus(Duration.ofDays(days)), NOW, Duration.ofHours(2160));
    if (!finding) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo("token-old");
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.evidence()).isEqualTo("tunnel token is " + days + " days old (written "
          + NOW.minus(Duration.ofDays(days)) + "), older than 2160h");
      assertThat(f.fix()).isEqualTo("rotate it: mcptunnel setup init --token-version <new version>");
    });
  }
}
