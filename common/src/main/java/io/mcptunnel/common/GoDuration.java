package io.mcptunnel.common;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations ({@code 300ms}, {@code 30s}, {@code 1h30m}, {@code 2160h}), the format of the
 * compatible configuration files and flags.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
      "ns", 1L, "us", 1_000L, "µs", 1_000L, "ms", 1_000_000L,
      "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Parses a non-negative Go duration.
   *
   * @throws IllegalArgumentException naming the value and the expected form
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(text);
    }
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text);
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
      at = m.end();
    }
    try {
      return Duration.ofNanos(nanos.longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
    }
  }

  /** Formats a duration the way Go prints it, e.g. {@code 1h30m0s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      long nanos = d.toNanos();
      if (nanos % 1_000_000 == 0) {
        return nanos / 1_000_000 + "ms";
      }
      return nanos % 1_000 == 0 ? nanos / 1_000 + "µs" : nanos + "ns";
    }
    StringBuilder out = new StringBuilder();
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    BigDecimal seconds = BigDecimal.valueOf(d.toSecondsPart())
        .add(BigDecimal.valueOf(d.toNanosPart(), 9)).stripTrailingZeros();
    return out.append(seconds.toPlainString()).append('s').toString();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException(
        "\"" + text + "\" is not a duration (expected a number with a unit, e.g. 30s, 2m, 1h30m)");
  }
}
