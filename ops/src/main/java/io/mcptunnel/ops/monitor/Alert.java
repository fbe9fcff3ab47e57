package io.mcptunnel.ops.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert: which rule fired for which source and why ({@code summary}: the observed value against
 * the threshold and window). {@code example} is the message and fields of one log line behind it,
 * never the raw line; values are cut at {@value #MAX_VALUE} characters.
 */
public record Alert(Instant time, String rule, Severity severity, String source, String summary,
    double observed, double threshold, String window, Instant firstSeen, Map<String, String> example) {
  static final int MAX_VALUE = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  public enum Severity { WARNING, CRITICAL }

  public Alert {
    // Milliseconds are precise enough for an operator and match the components' log times.
    time = time.truncatedTo(ChronoUnit.MILLIS);
    firstSeen = firstSeen == null ? null : firstSeen.truncatedTo(ChronoUnit.MILLIS);
    example = example == null ? Map.of() : Map.copyOf(example);
  }

  /** The example of an alert: the event's {@code msg} first, then its fields, each value cut short. */
  static Map<String, String> example(LogEvent e) {
    if (e == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("msg", cut(e.msg()));
    e.fields().forEach((k, v) -> out.put(k, cut(v)));
    return out;
  }

  private static String cut(String v) {
    return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE) + "...";
  }

  /** The stdout line: {@code time SEVERITY rule [source] summary; example: msg="..." key=value}. */
  public String line() {
    StringBuilder b = new StringBuilder().append(time).append(' ').append(severity).append(' ')
        .append(rule).append(" [").append(source).append("] ").append(summary);
    if (!example.isEmpty()) {
      b.append("; example:");
      Map<String, String> ordered = new LinkedHashMap<>();
      if (example.containsKey("msg")) {
        ordered.put("msg", example.get("msg"));
      }
      example.entrySet().stream().filter(e -> !e.getKey().equals("msg"))
          .sorted(Map.Entry.comparingByKey()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
      ordered.forEach((k, v) -> b.append(' ').append(k).append('=').append(quote(v)));
    }
    return b.toString();
  }

  private static String quote(String v) {
    boolean plain = !v.isEmpty() && v.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == 0x7f);
    if (plain) {
      return v;
    }
    StringBuilder q = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      if (c == '"' || c == '\\') {
        q.append('\\').append(c);
      } else if (c < ' ' || c == 0x7f) {
        q.append(String.format("\\u%04x", (int) c));
      } else {
        q.append(c);
      }
    }
    return q.append('"').toString();
  }

  /** The webhook body. */
  public String json() {
    ObjectNode n = JSON.createObjectNode();
    n.put("rule", rule);
    n.put("severity", severity.name().toLowerCase(java.util.Locale.ROOT));
    n.put("source", source);
    n.put("summary", summary);
    n.put("observed", observed);
    n.put("threshold", threshold);
    n.put("window", window);
    n.put("time", time.toString());
    n.put("first_seen", firstSeen == null ? time.toString() : firstSeen.toString());
    ObjectNode ex = n.putObject("example");
    example.forEach(ex::put);
    return n.toString();
  }
}
