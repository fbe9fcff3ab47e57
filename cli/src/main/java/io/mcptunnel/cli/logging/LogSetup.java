package io.mcptunnel.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback from the command's settings. Logs go to stdout (the container convention);
 * CLI errors stay on stderr. Third-party libraries are held at WARN so the proxy's own decisions
 * are not drowned out.
 */
public final class LogSetup {
  public enum Format { JSON, TEXT }

  static final String[] NOISY = {"io.netty", "org.eclipse.jetty", "io.micrometer"};

  private LogSetup() {}

  /**
   * Replaces the bundled default configuration. An operator who passes
   * {@code -Dlogback.configurationFile} keeps full control, so it is left alone then.
   */
  public static void configure(Level level, Format format) {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    boolean debug = level.toInt() <= Level.DEBUG_INT;
    EncoderBase<ILoggingEvent> encoder = encoder(format, debug);
    encoder.setContext(ctx);
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(ctx);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();

    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(console);
    for (String name : NOISY) {
      ctx.getLogger(name).setLevel(Level.WARN);
    }
  }

  /**
   * Text lines appended to {@code file} instead of stdout, for commands whose stdout is a
   * conversation with a person ({@code quickstart}); stack traces included, as nobody reads them
   * on a terminal. The file is created owner-only.
   */
  public static void configureFile(Level level, Path file) throws IOException {
    if (System.getProperty("logback.configurationFile") != null) {
      return;
    }
    if (!Files.exists(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(SecureFiles.SECRET));
    }
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    EncoderBase<ILoggingEvent> encoder = encoder(Format.TEXT, true);
    encoder.setContext(ctx);
    encoder.start();

    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setName("FILE");
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();

    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(appender);
    for (String name : NOISY) {
      ctx.getLogger(name).setLevel(Level.WARN);
    }
  }

  private static EncoderBase<ILoggingEvent> encoder(Format format, boolean stackTraces) {
    if (format == Format.TEXT) {
      TextLineEncoder text = new TextLineEncoder();
      text.setIncludeStackTrace(stackTraces);
      return text;
    }
    JsonLineEncoder json = new JsonLineEncoder();
    json.setIncludeStackTrace(stackTraces);
    return json;
  }
}
