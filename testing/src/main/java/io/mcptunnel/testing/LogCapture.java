package io.mcptunnel.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures log events while open, each rendered as one line: {@code LEVEL message key=value ...}
 * and the stack trace if there is one (so tests can assert that no secret appears anywhere).
 */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger;

  /** Every event of the JVM. */
  public LogCapture() {
    this((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
  }

  /** The events of one class's logger. */
  public LogCapture(Class<?> source) {
    this((Logger) LoggerFactory.getLogger(source));
  }

  private LogCapture(Logger logger) {
    this.logger = logger;
    appender.start();
    logger.addAppender(appender);
  }

  public List<String> lines() {
    // AppenderBase.doAppend holds the appender's own lock while it adds to the list.
    synchronized (appender) {
      return appender.list.stream().map(LogCapture::render).toList();
    }
  }

  public boolean contains(String text) {
    return lines().stream().anyMatch(l -> l.contains(text));
  }

  private static String render(ILoggingEvent e) {
    StringBuilder out = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
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
    logger.detachAppender(appender);
  }
}
