package io.mcptunnel.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import io.mcptunnel.common.LogKeys;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/** What both line encoders share: the base field names ({@link LogKeys}), the time format and the error summary. */
final class LogFields {
  /** A key-value pair named like a base field is renamed rather than allowed to overwrite it. */
  static final Set<String> BASE = Set.of(LogKeys.TIME, LogKeys.LEVEL, LogKeys.LOGGER, LogKeys.MSG,
      LogKeys.ERROR, LogKeys.STACK);

  /** RFC 3339 with milliseconds, always UTC, so lines from different hosts sort as text. */
  static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private LogFields() {}

  static String time(ILoggingEvent event) {
    return RFC3339.format(event.getInstant());
  }

  static String key(String key) {
    String k = key == null ? "null" : key;
    return BASE.contains(k) ? "kv_" + k : k;
  }

  /** {@code class: message} of the throwable, or null; never a stack trace. */
  static String error(ILoggingEvent event) {
    IThrowableProxy t = event.getThrowableProxy();
    if (t == null) {
      return null;
    }
    return t.getMessage() == null ? t.getClassName() : t.getClassName() + ": " + t.getMessage();
  }
}
