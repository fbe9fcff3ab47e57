package io.mcptunnel.ops.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.common.LogKeys;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Keeps the log lines of a {@link TimeWindow}, one line at a time. A line's time is the
 * {@code time} field of a JSON line or a leading RFC 3339 timestamp of a text line (the formats
 * the proxy, connector and most MCP servers write); a line without one (a stack trace, a wrapped
 * message) belongs to the line above. Lines before the first timestamp cannot be placed and are
 * left out.
 */
public final class LogWindow {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TimeWindow window;
  private boolean keepingParent;

  public LogWindow(TimeWindow window) {
    this.window = window;
  }

  /** Whether {@code line} is in the window (continuation lines follow their parent). */
  public boolean keep(String line) {
    Optional<Instant> time = timeOf(line);
    if (time.isPresent()) {
      keepingParent = window.contains(time.get());
    }
    return keepingParent;
  }

  static Optional<Instant> timeOf(String line) {
    String t = line.stripLeading();
    if (t.startsWith("{")) {
      try {
        JsonNode node = JSON.readTree(t);
        return node != null && node.path(LogKeys.TIME).isTextual() ? instant(node.path(LogKeys.TIME).asText()) : Optional.empty();
      } catch (Exception notJson) {
        return Optional.empty();
      }
    }
    int end = 0;
    while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
      end++;
    }
    return end >= 20 ? instant(line.substring(0, end)) : Optional.empty();
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
