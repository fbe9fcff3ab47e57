package io.mcptunnel.ops.monitor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What one monitor run watches and how long: log files by source name ({@code -} is stdin),
 * metrics URLs by source name, the scrape interval, whether logs are read from their start, an
 * optional state file and webhook, and a bound ({@code runFor} null: until stopped; {@code once}:
 * one pass over what is there now).
 */
public record MonitorConfig(Map<String, Path> logs, Map<String, URI> metrics, Duration interval,
    boolean fromStart, Path state, URI webhook, Duration runFor, boolean once, MonitorRules rules) {
  public static final Path STDIN = Path.of("-");

  public MonitorConfig {
    logs = Map.copyOf(logs);
    metrics = Map.copyOf(metrics);
    if (logs.isEmpty() && metrics.isEmpty()) {
      throw new MonitorException("nothing to watch (expected at least one --log NAME=FILE or --metrics NAME=URL)");
    }
  }
}
