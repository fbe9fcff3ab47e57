package io.mcptunnel.ops.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.common.LogKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a line as mcptunnel's JSON format ({@code time, level, logger, msg, key-values, error}) or
 * its text format ({@code time LEVEL logger msg key=value ...}). In the text format the message is
 * not delimited, so it runs up to the first {@code key=value} pair; that is enough to recognise
 * every message the rules key on (none of them contains {@code =}). Anything else (a stack trace line, a banner) is no event.
 */
public final class LogLineParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIXED = Set.of(LogKeys.TIME, LogKeys.LEVEL, LogKeys.LOGGER, LogKeys.MSG);
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  private static final Pattern TEXT_HEAD = Pattern.compile("^(\\S+)\\s+(TRACE|DEBUG|INFO|WARN|ERROR)\\s+(\\S+)\\s(.*)$");
  private static final Pattern PAIR = Pattern.compile("\\s([A-Za-z_][A-Za-z0-9_.-]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");

  private LogLineParser() {}

  public static Optional<LogEvent> parse(String line) {
    String s = line.strip();
    if (s.startsWith("{")) {
      return json(s);
    }
    return text(s);
  }

  private static Optional<LogEvent> json(String s) {
    JsonNode node;
    try {
      node = JSON.readTree(s);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject() || !node.hasNonNull(LogKeys.MSG)) {
      return Optional.empty();
    }
    String level = node.path(LogKeys.LEVEL).asText("").toUpperCase(java.util.Locale.ROOT);
    Map<String, String> fields = new LinkedHashMap<>();
    node.properties().forEach(e -> {
      if (!FIXED.contains(e.getKey())) {
        JsonNode v = e.getValue();
        fields.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
      }
    });
    return Optional.of(new LogEvent(node.path(LogKeys.TIME).asText(""), LEVELS.contains(level) ? level : "",
        node.path(LogKeys.MSG).asText(""), fields));
  }

  private static Optional<LogEvent> text(String s) {
    Matcher head = TEXT_HEAD.matcher(s);
    if (!head.matches()) {
      return Optional.empty();
    }
    // The message is not delimited: it runs up to the first " key=value"; the pairs follow.
    String rest = " " + head.group(4);
    Matcher pair = PAIR.matcher(rest);
    Map<String, String> fields = new LinkedHashMap<>();
    int msgEnd = rest.length();
    while (pair.find()) {
      if (fields.isEmpty()) {
        msgEnd = pair.start();
      }
      fields.put(pair.group(1), unquote(pair.group(2)));
    }
    return Optional.of(new LogEvent(head.group(1), head.group(2), rest.substring(0, msgEnd).strip(), fields));
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return v;
  }
}
