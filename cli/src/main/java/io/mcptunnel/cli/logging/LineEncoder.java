package io.mcptunnel.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;

/** One log event per line, no header or footer; stack traces only when asked (debug logging). */
public abstract class LineEncoder extends EncoderBase<ILoggingEvent> {
  protected boolean includeStackTrace;

  /** Adds the stack trace of an event's throwable; meant for debug logging only. */
  public void setIncludeStackTrace(boolean include) {
    this.includeStackTrace = include;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }
}
