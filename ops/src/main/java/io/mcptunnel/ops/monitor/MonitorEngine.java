package io.mcptunnel.ops.monitor;

import io.mcptunnel.ops.monitor.Alert.Severity;
import io.mcptunnel.ops.monitor.PrometheusText.Sample;
import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Feeds log lines, scrapes and clock ticks to the rules and hands their alerts to a sink, holding
 * back repeats of a rule for the same source within the cooldown (so a burst is one alert, not
 * hundreds). Thread-safe: followers and scrapers may call in from their own threads.
 */
public final class MonitorEngine {
  private final Clock clock;
  private final List<Rule> rules;
  private final Duration cooldown;
  private final Consumer<Alert> sink;
  private final MetricSignals metrics = new MetricSignals();
  private final Map<String, Instant> lastAlert = new HashMap<>();

  public MonitorEngine(MonitorRules r, KnownAddresses known, Clock clock, Consumer<Alert> sink) {
    this.clock = clock;
    this.cooldown = r.cooldown();
    this.sink = sink;
    this.rules = List.of(
        new CountRule("warn-error-burst", Kind.WARN_OR_ERROR, Severity.WARNING, "WARN/ERROR lines",
            r.burstCount(), r.burstWindow()),
        new RequestRateRule(r.rateFactor(), r.rateWindow(), r.rateBaseline(), r.rateWarmup(), r.rateMin(),
            clock.instant()),
        new CountRule("ip-validation-refusal", Kind.IP_REFUSAL, Severity.CRITICAL, "IP-validation refusals",
            r.ipRefusals(), r.ipWindow()),
        new CountRule("tls-handshake-failures", Kind.TLS_FAILURE, Severity.WARNING, "TLS handshake failures",
            r.tlsFailures(), r.tlsWindow()),
        new CountRule("token-rejected", Kind.TOKEN_REJECTED, Severity.CRITICAL, "rejected connector tokens",
            r.tokenRejections(), r.tokenWindow()),
        new NewConnectorAddressRule(known),
        new ScrapeFailureRule(r.scrapeFailures()));
  }

  /** One log line read from {@code source}; lines that are not log events are ignored. */
  public synchronized void line(String source, String line) {
    LogLineParser.parse(line).ifPresent(e -> LogSignals.of(source, e).forEach(this::signal));
  }

  public synchronized void scraped(String source, List<Sample> samples) {
    signal(new Signal(source, Kind.SCRAPE_OK, 1, null));
    metrics.update(source, samples).forEach(this::signal);
  }

  /** @param reason why the scrape failed, e.g. {@code HTTP 503} or {@code connection refused} */
  public synchronized void scrapeFailed(String source, String reason) {
    signal(Signal.of(source, Kind.SCRAPE_FAILED, new LogEvent("", "", reason, Map.of())));
  }

  public synchronized void tick() {
    Instant now = clock.instant();
    for (Rule rule : rules) {
      rule.tick(now).forEach(a -> emit(rule, a));
    }
  }

  private void signal(Signal s) {
    Instant now = clock.instant();
    for (Rule rule : rules) {
      rule.accept(s, now).forEach(a -> emit(rule, a));
    }
  }

  private void emit(Rule rule, Alert a) {
    if (rule.cooledDown()) {
      String key = a.rule() + '\n' + a.source();
      Instant last = lastAlert.get(key);
      if (last != null && a.time().isBefore(last.plus(cooldown))) {
        return;
      }
      lastAlert.put(key, a.time());
    }
    sink.accept(a);
  }
}
