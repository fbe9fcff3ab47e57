package io.mcptunnel.common;

/**
 * The fixed fields of every JSON log line mcptunnel writes (the key-value pairs a call site logs
 * follow them). The CLI's encoder writes them; the monitor and the incident's log window read them.
 */
public final class LogKeys {
  /** RFC 3339, UTC, milliseconds. */
  public static final String TIME = "time";
  public static final String LEVEL = "level";
  public static final String LOGGER = "logger";
  public static final String MSG = "msg";
  public static final String ERROR = "error";
  public static final String STACK = "stack";

  private LogKeys() {}
}
