package io.mcptunnel.ops.monitor;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.ops.monitor.Alert.Severity;
import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * At least {@code threshold} signals of one kind from one source within {@code window}: warning
 * bursts, IP-validation refusals, TLS handshake failures, rejected tokens. A threshold of 0 turns
 * the rule off.
 */
final class CountRule implements Rule {
  private final String name;
  private final Kind kind;
  private final Severity severity;
  private final String what;
  private final long threshold;
  private final Duration window;
  private final Map<String, Window> bySource = new HashMap<>();

  /** @param what the plural noun in the summary, e.g. {@code TLS handshake failures} */
  CountRule(String name, Kind kind, Severity severity, String what, long threshold, Duration window) {
    this.name = name;
    this.kind = kind;
    this.severity = severity;
    this.what = what;
    this.threshold = threshold;
    this.window = window;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Alert> accept(Signal s, Instant now) {
    if (s.kind() != kind || threshold <= 0) {
      return List.of();
    }
    Window w = bySource.computeIfAbsent(s.source(), k -> new Window(window));
    w.add(now, s.count(), s.example());
    long seen = w.total(now);
    if (seen < threshold) {
      return List.of();
    }
    String summary = seen + " " + what + " in " + GoDuration.format(window) + " (threshold " + threshold + ")";
    return List.of(new Alert(now, name, severity, s.source(), summary, seen, threshold,
        GoDuration.format(window), w.firstSeen(), Alert.example(w.example())));
  }
}
