package io.mcptunnel.ops.monitor;

/**
 * Something a rule counts: {@code count} occurrences of {@code kind} from {@code source}, with the
 * log event that showed it ({@code null} when it came from a metric or a scrape).
 */
public record Signal(String source, Kind kind, long count, LogEvent example) {
  public enum Kind {
    WARN_OR_ERROR,
    REQUEST,
    IP_REFUSAL,
    TLS_FAILURE,
    TOKEN_REJECTED,
    CONNECTOR_REGISTERED,
    SCRAPE_FAILED,
    SCRAPE_OK
  }

  public static Signal of(String source, Kind kind, LogEvent example) {
    return new Signal(source, kind, 1, example);
  }
}
