package io.mcptunnel.proxy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures every log event of the JVM while open, rendered with its key-value pairs and throwable. */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  LogCapture() {
    appender.start();
    root.addAppender(appender);
  }

  /** Each event as one line: level, logger, message, key=value pairs, stack trace. */
  List<String> lines() {
    // AppenderBase.doAppend holds the appender's own lock while it adds to the list.
    synchronized (appender) {
      return appender.list.stream().map(LogCapture::render).collect(Collectors.toList());
    }
  }

  boolean contains(String text) {
    return lines().stream().anyMatch(l -> l.contains(text));
  }

  private static String render(ILoggingEvent e) {
    StringBuilder out = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) {
      e.getKeyValuePairs().forEach(kv -> out.append(' ').append(kv.key).append('=').append(kv.value));
    }
    if (e.getThrowableProxy() != null) {
      out.append(' ').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
    }
    return out.toString();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
  }
}
