package io.mcptunnel.ops.monitor;

import java.util.Map;

/**
 * One parsed log line: its level, message and key-value fields (values as text). The raw line is
 * not kept, so an alert can only ever quote what was parsed out of it.
 */
public record LogEvent(String time, String level, String msg, Map<String, String> fields) {
  public LogEvent {
    fields = Map.copyOf(fields);
  }

  public String field(String name) {
    return fields.getOrDefault(name, "");
  }

  public boolean warnOrError() {
    return "WARN".equals(level) || "ERROR".equals(level);
  }
}
