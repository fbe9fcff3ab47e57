package io.mcptunnel.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.mcptunnel.common.LogKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * The human-readable alternative: {@code time level logger msg key=value ... error="..."} on one
 * line. Values with spaces, quotes or {@code =} are quoted, and line breaks escaped, so a message
 * can never forge a second log line. Same field discipline as {@link JsonLineEncoder}.
 */
public class TextLineEncoder extends LineEncoder {
  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(160)
        .append(LogFields.time(event)).append(' ')
        .append(String.format("%-5s", event.getLevel())).append(' ')
        .append(event.getLoggerName()).append(' ')
        .append(escape(event.getFormattedMessage()));
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair kv : pairs) {
        line.append(' ').append(LogFields.key(kv.key)).append('=').append(value(kv.value));
      }
    }
    String error = LogFields.error(event);
    if (error != null) {
      line.append(' ').append(LogKeys.ERROR).append('=').append(value(error));
    }
    line.append('\n');
    if (error != null && includeStackTrace) {
      // Debug only: the trace follows on its own lines, like a Java stack trace normally does.
      line.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String value(Object v) {
    String s = String.valueOf(v);
    boolean quote = s.isEmpty() || s.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '=' || c == 0x7f);
    return quote ? '"' + escape(s).replace("\"", "\\\"") + '"' : s;
  }

  private static String escape(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < ' ' || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
