package io.mcptunnel.ops.monitor;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.ops.monitor.Alert.Severity;
import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Request rate over a short window well above the source's learned baseline. The baseline is an
 * exponentially weighted average of the short-window rate with time constant {@code baseline},
 * learned from the monitor's start (a source that was silent so far has a baseline of 0). While the
 * monitor is younger than {@code baseline} the average weighs every tick equally, so a short warm-up
 * does not leave it stuck near its starting value. It alerts only after {@code warmup}, when the
 * rate is at least {@code minRate} per second and more than {@code factor} times the baseline,
 * evaluated at every tick. A factor of 0 turns the rule off.
 */
final class RequestRateRule implements Rule {
  static final String NAME = "request-rate-spike";

  private final double factor;
  private final Duration window;
  private final Duration baseline;
  private final Duration warmup;
  private final double minRate;
  private final Instant start;
  private Instant lastTick;
  private final Map<String, SourceRate> bySource = new HashMap<>();

  private static final class SourceRate {
    final Window recent;
    double baseline;

    SourceRate(Duration window) {
      recent = new Window(window);
    }
  }

  RequestRateRule(double factor, Duration window, Duration baseline, Duration warmup, double minRate, Instant start) {
    this.factor = factor;
    this.window = window;
    this.baseline = baseline;
    this.warmup = warmup;
    this.minRate = minRate;
    this.start = start;
    this.lastTick = start;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Alert> accept(Signal s, Instant now) {
    if (s.kind() == Kind.REQUEST && factor > 0) {
      bySource.computeIfAbsent(s.source(), k -> new SourceRate(window)).recent.add(now, s.count(), s.example());
    }
    return List.of();
  }

  @Override
  public List<Alert> tick(Instant now) {
    double dt = seconds(Duration.between(lastTick, now));
    if (dt <= 0 || factor <= 0) {
      return List.of();
    }
    lastTick = now;
    double age = seconds(Duration.between(start, now));
    // Equal weights while younger than the time constant, then the exponential decay.
    double alpha = Math.min(1, Math.max(1 - Math.exp(-dt / seconds(baseline)), dt / age));
    boolean warm = age >= seconds(warmup);
    List<Alert> alerts = new ArrayList<>();
    bySource.forEach((source, r) -> {
      double rate = r.recent.total(now) / seconds(window);
      if (warm && rate >= minRate && rate > factor * r.baseline) {
        alerts.add(alert(source, r, rate, now));
      }
      r.baseline += alpha * (rate - r.baseline);
    });
    return alerts;
  }

  private Alert alert(String source, SourceRate r, double rate, Instant now) {
    String summary = String.format(Locale.ROOT,
        "request rate %.2f/s over %s is above %.1f x the baseline %.2f/s (learned over %s; minimum rate %.2f/s)",
        rate, GoDuration.format(window), factor, r.baseline, GoDuration.format(baseline), minRate);
    return new Alert(now, NAME, Severity.WARNING, source, summary, rate, factor * r.baseline,
        GoDuration.format(window), r.recent.firstSeen(), Alert.example(r.recent.example()));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
