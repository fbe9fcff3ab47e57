package io.mcptunnel.ops.monitor;

import io.mcptunnel.ops.monitor.Alert.Severity;
import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A metrics endpoint that failed {@code threshold} scrapes in a row: the monitor is blind to that
 * component (it is down, or its admin port moved). It alerts once per run of failures; a success
 * starts the count again. The summary carries the last failure's reason.
 */
final class ScrapeFailureRule implements Rule {
  static final String NAME = "scrape-failure";

  private final int threshold;
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, Instant> since = new HashMap<>();

  ScrapeFailureRule(int threshold) {
    this.threshold = threshold;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Alert> accept(Signal s, Instant now) {
    if (s.kind() == Kind.SCRAPE_OK) {
      failures.remove(s.source());
      since.remove(s.source());
      return List.of();
    }
    if (s.kind() != Kind.SCRAPE_FAILED || threshold <= 0) {
      return List.of();
    }
    since.putIfAbsent(s.source(), now);
    int n = failures.merge(s.source(), 1, Integer::sum);
    if (n != threshold) {
      return List.of();
    }
    String summary = n + " consecutive metrics scrapes failed (threshold " + threshold + "): "
        + s.example().msg();
    return List.of(new Alert(now, NAME, Severity.WARNING, s.source(), summary, n, threshold,
        n + " scrapes", since.get(s.source()), null));
  }

  @Override
  public boolean cooledDown() {
    return false; // once per run of failures already
  }
}
