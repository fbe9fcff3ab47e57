package io.mcptunnel.ops.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Runs the monitor: polls the followed logs every {@value #POLL_MILLIS} ms, scrapes metrics every
 * interval, ticks the engine, and stops when the bound is reached (or, with {@code once}, after
 * one pass). Alerts go to the given sink (stdout and optionally the webhook).
 */
public final class Monitor {
  static final long POLL_MILLIS = 200;

  private final MonitorConfig config;
  private final Clock clock;
  private final MonitorEngine engine;
  private final PrintWriter err;
  private final InputStream stdin;
  private final Map<String, LogFollower> followers = new LinkedHashMap<>();
  private final Map<String, MetricsScraper> scrapers = new LinkedHashMap<>();
  private final ConcurrentLinkedQueue<String> stdinLines = new ConcurrentLinkedQueue<>();
  private String stdinSource;
  private volatile boolean stopped;

  public Monitor(MonitorConfig config, Clock clock, Consumer<Alert> alerts, PrintWriter err, InputStream stdin) {
    this.config = config;
    this.clock = clock;
    this.err = err;
    this.stdin = stdin;
    KnownAddresses known = config.state() == null
        ? KnownAddresses.inMemory(clock.instant(), config.rules().learn())
        : KnownAddresses.load(config.state(), clock.instant(), config.rules().learn());
    this.engine = new MonitorEngine(config.rules(), known, clock, alerts);
    boolean fromStart = config.fromStart() || config.once();
    config.logs().forEach((name, file) -> {
      if (file.equals(MonitorConfig.STDIN)) {
        stdinSource = name;
      } else {
        followers.put(name, new LogFollower(file, fromStart));
      }
    });
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Duration timeout = config.interval().compareTo(Duration.ofSeconds(10)) < 0 ? config.interval() : Duration.ofSeconds(10);
    config.metrics().forEach((name, url) -> scrapers.put(name, new MetricsScraper(http, url, timeout)));
  }

  public MonitorEngine engine() {
    return engine;
  }

  /** Runs until the bound is reached or {@link #stop()}. */
  public void run() throws InterruptedException {
    if (stdinSource != null) {
      if (config.once()) {
        readStdin(); // one pass: all of it, up to its end
      } else {
        Thread t = new Thread(this::readStdin, "monitor-stdin");
        t.setDaemon(true);
        t.start();
      }
    }
    Instant end = config.runFor() == null ? null : clock.instant().plus(config.runFor());
    Instant nextScrape = clock.instant();
    boolean first = true;
    while (!stopped) {
      pollLogs();
      if (!clock.instant().isBefore(nextScrape)) {
        scrapeAll();
        nextScrape = clock.instant().plus(config.interval());
      }
      engine.tick();
      if (first) {
        first = false;
        report("watching " + count(config.logs().size(), "log") + " and " + count(scrapers.size(), "metrics endpoint")
            + (config.once() ? " (one pass)" : ""));
      }
      if (config.once() || (end != null && !clock.instant().isBefore(end))) {
        break;
      }
      Thread.sleep(POLL_MILLIS);
    }
    pollLogs();
    engine.tick();
  }

  public void stop() {
    stopped = true;
  }

  private void pollLogs() {
    for (Map.Entry<String, LogFollower> f : followers.entrySet()) {
      try {
        f.getValue().poll().forEach(line -> engine.line(f.getKey(), line));
      } catch (IOException e) {
        report("log " + f.getKey() + ": " + e.getMessage());
      }
    }
    String line;
    while ((line = stdinLines.poll()) != null) {
      engine.line(stdinSource, line);
    }
  }

  private void scrapeAll() throws InterruptedException {
    for (Map.Entry<String, MetricsScraper> s : scrapers.entrySet()) {
      try {
        engine.scraped(s.getKey(), s.getValue().scrape());
      } catch (IOException e) {
        engine.scrapeFailed(s.getKey(), "scrape " + WebhookNotifier.describe(config.metrics().get(s.getKey()))
            + " failed: " + e.getMessage());
      }
    }
  }

  private void readStdin() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        stdinLines.add(line);
      }
    } catch (IOException e) {
      report("stdin: " + e.getMessage());
    }
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private void report(String message) {
    synchronized (err) {
      err.println("monitor: " + message);
      err.flush();
    }
  }

}
