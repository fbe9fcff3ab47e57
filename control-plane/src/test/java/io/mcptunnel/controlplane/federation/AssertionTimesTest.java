package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AssertionTimesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  /** Offsets in seconds from now; empty = claim absent; expected cause or OK. */
  @ParameterizedTest(name = "exp={0} nbf={1} iat={2} -> {3}")
  @CsvSource({
      "600,,,OK",
      ",,,MISSING_EXPIRY",
      "0,,,OK",            // expired just now: inside the skew
      "-29,,,OK",
      "-30,,,EXPIRED",     // exp + 30 s == now: no longer before it
      "-31,,,EXPIRED",
      "600,30,,OK",        // nbf 30 s ahead: inside the skew
      "600,31,,NOT_YET_VALID",
      "600,-600,,OK",
      "600,,30,OK",
      "600,,31,ISSUED_IN_FUTURE",
      "600,,-3600,OK",
  })
  void table(Long exp, Long nbf, Long iat, String expected) {
    var result = AssertionTimes.check(at(exp), at(nbf), at(iat), NOW);
    assertThat(result.map(r -> r.cause().name()).orElse("OK")).isEqualTo(expected);
  }

  private static Date at(Long offsetSeconds) {
    return offsetSeconds == null ? null : Date.from(NOW.plusSeconds(offsetSeconds));
  }
}
