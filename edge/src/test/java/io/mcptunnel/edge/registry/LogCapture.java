package io.mcptunnel.edge.registry;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures one class's log events, rendered as "LEVEL message key=value ...". Shared by the edge's tests. */
public final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger;

  public LogCapture(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    appender.start();
    logger.addAppender(appender);
  }

  public List<String> lines() {
    // AppenderBase.doAppend holds the appender's own lock while it adds to the list.
    synchronized (appender) {
      return appender.list.stream().map(LogCapture::render).toList();
    }
  }

  private static String render(ILoggingEvent e) {
    StringBuilder out = new StringBuilder(e.getLevel() + " " + e.getFormattedMessage());
    if (e.getKeyValuePairs() != null) {
      e.getKeyValuePairs().forEach(kv -> out.append(' ').append(kv.key).append('=').append(kv.value));
    }
    return out.toString();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
