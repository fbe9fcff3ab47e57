package io.mcptunnel.cli;

import io.mcptunnel.ops.monitor.Alert;
import io.mcptunnel.ops.monitor.Monitor;
import io.mcptunnel.ops.monitor.MonitorConfig;
import io.mcptunnel.ops.monitor.MonitorRules;
import io.mcptunnel.ops.monitor.RulesFile;
import io.mcptunnel.ops.monitor.WebhookNotifier;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel monitor}: follows components' logs and metrics and prints one line per alert
 * (and POSTs it to {@code --webhook}). Thresholds come from {@code --rules FILE}, then the flags.
 * See docs/monitor.md.
 */
@Command(name = "monitor",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = "Follow logs and metrics; alert on warning bursts, request-rate spikes, IP-validation refusals, "
        + "TLS handshake failures, rejected tokens and connectors from new addresses.")
public final class MonitorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--log", paramLabel = "NAME=FILE",
      description = "A log file to follow like tail -F, named NAME in alerts (FILE '-' is stdin). Repeatable.")
  Map<String, Path> logs = new LinkedHashMap<>();

  @Option(names = "--metrics", paramLabel = "NAME=URL",
      description = "A component's Prometheus endpoint (its admin address + /metrics). Repeatable.")
  Map<String, String> metrics = new LinkedHashMap<>();

  @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", converter = GoDurationConverter.class,
      description = "Scrape interval (default ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--from-start", description = "Read logs from their start instead of their end.")
  boolean fromStart;

  @Option(names = "--state", paramLabel = "FILE",
      description = "Keep the known connector addresses and the learning deadline here across restarts.")
  Path state;

  @Option(names = "--rules", paramLabel = "FILE", description = "Thresholds as YAML (see docs/monitor.md); flags win.")
  Path rulesFile;

  @Option(names = "--webhook", paramLabel = "URL", description = "Also POST each alert as JSON to this URL.")
  String webhook;

  @Option(names = "--for", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "Stop after this long (default: run until stopped).")
  Duration runFor;

  @Option(names = "--once", description = "One pass: read the logs from their start, scrape once, alert, exit.")
  boolean once;

  @Option(names = "--burst", paramLabel = "N", description = "WARN/ERROR lines per source in --burst-window (default 10, 0 off).")
  Integer burst;

  @Option(names = "--burst-window", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "Window of --burst (default 1m).")
  Duration burstWindow;

  @Option(names = "--rate-factor", paramLabel = "X", description = "Alert when the request rate exceeds X times its baseline (default 5, 0 off).")
  Double rateFactor;

  @Option(names = "--rate-window", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "Short window the current request rate is measured over (default 1m).")
  Duration rateWindow;

  @Option(names = "--rate-baseline", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "Time constant of the learned baseline (default 30m).")
  Duration rateBaseline;

  @Option(names = "--rate-warmup", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "No rate alert before the monitor ran this long (default 10m).")
  Duration rateWarmup;

  @Option(names = "--rate-min", paramLabel = "PER_SECOND",
      description = "No rate alert below this many requests/s (default 1).")
  Double rateMin;

  @Option(names = "--ip-refusals", paramLabel = "N", description = "IP-validation refusals in --ip-window (default 1, 0 off).")
  Integer ipRefusals;

  @Option(names = "--ip-window", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "Window of --ip-refusals (default 5m).")
  Duration ipWindow;

  @Option(names = "--tls-failures", paramLabel = "N", description = "TLS handshake failures in --tls-window (default 5, 0 off).")
  Integer tlsFailures;

  @Option(names = "--tls-window", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "Window of --tls-failures (default 1m).")
  Duration tlsWindow;

  @Option(names = "--token-rejections", paramLabel = "N", description = "Rejected connector tokens in --token-window (default 1, 0 off).")
  Integer tokenRejections;

  @Option(names = "--token-window", paramLabel = "DURATION", converter = GoDurationConverter.class,
      description = "Window of --token-rejections (default 5m).")
  Duration tokenWindow;

  @Option(names = "--scrape-failures", paramLabel = "N", description = "Consecutive failed scrapes before an alert (default 3, 0 off).")
  Integer scrapeFailures;

  @Option(names = "--learn", paramLabel = "DURATION", converter = ZeroOkDurationConverter.class,
      description = "First run: learn connector addresses silently this long (default 10m; 0s alerts from the start).")
  Duration learn;

  @Option(names = "--cooldown", paramLabel = "DURATION", converter = ZeroOkDurationConverter.class,
      description = "Hold back repeats of a rule for the same source this long (default 5m).")
  Duration cooldown;

  /** Where {@code --log NAME=-} reads; a field so a test can feed it. */
  InputStream stdin = System.in;

  /** The monitor's clock; a field so a test can drive it. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    if (once && runFor != null) {
      throw new ParameterException(spec.commandLine(), "--once and --for cannot be combined");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    MonitorConfig config = new MonitorConfig(logs, urls(), interval, fromStart, state,
        webhook == null ? null : url("--webhook", webhook), runFor, once, rules());
    WebhookNotifier hook = config.webhook() == null ? null
        : new WebhookNotifier(HttpClient.newHttpClient(), config.webhook(), Duration.ofSeconds(1), err);
    Consumer<Alert> sink = a -> {
      synchronized (out) {
        out.println(a.line());
        out.flush();
      }
      if (hook != null) {
        hook.accept(a);
      }
    };
    Monitor monitor = new Monitor(config, clock, sink, err, stdin);
    try {
      monitor.run();
    } finally {
      if (hook != null) {
        hook.close();
      }
    }
    return 0;
  }

  private MonitorRules rules() {
    MonitorRules.Builder b = MonitorRules.builder();
    if (rulesFile != null) {
      RulesFile.read(rulesFile, b);
    }
    if (burst != null) b.burstCount = burst;
    if (burstWindow != null) b.burstWindow = burstWindow;
    if (rateFactor != null) b.rateFactor = rateFactor;
    if (rateWindow != null) b.rateWindow = rateWindow;
    if (rateBaseline != null) b.rateBaseline = rateBaseline;
    if (rateWarmup != null) b.rateWarmup = rateWarmup;
    if (rateMin != null) b.rateMin = rateMin;
    if (ipRefusals != null) b.ipRefusals = ipRefusals;
    if (ipWindow != null) b.ipWindow = ipWindow;
    if (tlsFailures != null) b.tlsFailures = tlsFailures;
    if (tlsWindow != null) b.tlsWindow = tlsWindow;
    if (tokenRejections != null) b.tokenRejections = tokenRejections;
    if (tokenWindow != null) b.tokenWindow = tokenWindow;
    if (scrapeFailures != null) b.scrapeFailures = scrapeFailures;
    if (learn != null) b.learn = learn;
    if (cooldown != null) b.cooldown = cooldown;
    return b.build();
  }

  private Map<String, URI> urls() {
    Map<String, URI> out = new LinkedHashMap<>();
    metrics.forEach((name, u) -> out.put(name, url("--metrics " + name, u)));
    return out;
  }

  private URI url(String option, String text) {
    try {
      URI u = new URI(text);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new URISyntaxException(text, "expected http(s)://host[:port]/path");
      }
      return u;
    } catch (URISyntaxException e) {
      // Name the option only: a webhook URL may carry a secret.
      throw new ParameterException(spec.commandLine(), option + ": not an http(s) URL (expected e.g. http://127.0.0.1:9090/metrics)");
    }
  }

  /** Like {@link GoDurationConverter}, but 0 is allowed (it turns something off). */
  static final class ZeroOkDurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = io.mcptunnel.common.GoDuration.parse(value);
        if (d.isNegative()) {
          throw new picocli.CommandLine.TypeConversionException("\"" + value + "\" must not be negative");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

}
