package io.mcptunnel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.proxy.tls.SslContexts;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures, in one run and all on loopback, the tunnel path (WebSocket → inner TLS → HTTP/1.1 →
 * proxy → upstream) against direct HTTP/1.1 calls to the same upstream.
 *
 * <pre>
 * bench/run [--quick] [--warmup=SECONDS] [--measure=SECONDS] [--concurrency=1,32]
 *           [--stream-mb=100] [--stream-reps=3] [--out=bench/target/results.json] [--jdk-tls]
 * </pre>
 *
 * Every flag can also be given as a system property {@code bench.<name>} (e.g. {@code -Dbench.warmup=2}).
 */
public final class Bench {
  static final String DOMAIN = "bench.tunnel.test";
  static final String TUNNEL_HOST = "bench." + DOMAIN;
  static final byte[] MCP_REQUEST = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
      + "{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Berlin\"}}}").getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> MCP_HEADERS = Map.of(
      HttpHeaderNames.CONTENT_TYPE.toString(), HttpHeaderValues.APPLICATION_JSON.toString(),
      HttpHeaderNames.ACCEPT.toString(), "application/json, text/event-stream");

  record Settings(double warmup, double measure, int[] concurrency, long streamBytes, int streamReps, Path out,
      boolean jdkTls, boolean quick) {
    static Settings parse(String[] args) {
      Map<String, String> flags = new LinkedHashMap<>();
      for (String a : args) {
        if (a.equals("-h") || a.equals("--help")) {
          System.out.println("""
              usage: bench/run [--quick] [--warmup=S] [--measure=S] [--concurrency=1,32]
                               [--stream-mb=100] [--stream-reps=3] [--out=PATH] [--jdk-tls]
                --quick        1 s warm-up + 3 s measure per phase, 1 stream repetition (< 1 min)
                defaults       5 s warm-up + 10 s measure per phase, 3 stream repetitions
                --jdk-tls      use the JDK TLS provider on both sides instead of BoringSSL
              flags can also be set as -Dbench.<name>=VALUE""");
          System.exit(0);
        }
        if (!a.startsWith("--")) {
          throw new IllegalArgumentException("unknown argument: " + a + " (try --help)");
        }
        int eq = a.indexOf('=');
        flags.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
      }
      Function<String, String> get = k -> flags.getOrDefault(k, System.getProperty("bench." + k));
      for (String k : flags.keySet()) {
        if (!List.of("quick", "warmup", "measure", "concurrency", "stream-mb", "stream-reps", "out", "jdk-tls")
            .contains(k)) {
          throw new IllegalArgumentException("unknown flag --" + k + " (try --help)");
        }
      }
      boolean quick = Boolean.parseBoolean(get.apply("quick"));
      double warmup = get.apply("warmup") != null ? Double.parseDouble(get.apply("warmup")) : quick ? 1 : 5;
      double measure = get.apply("measure") != null ? Double.parseDouble(get.apply("measure")) : quick ? 3 : 10;
      String conc = get.apply("concurrency") != null ? get.apply("concurrency") : "1,32";
      int[] concurrency = java.util.Arrays.stream(conc.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
      long mb = get.apply("stream-mb") != null ? Long.parseLong(get.apply("stream-mb")) : 100;
      int reps = get.apply("stream-reps") != null ? Integer.parseInt(get.apply("stream-reps")) : quick ? 1 : 3;
      Path out = Path.of(get.apply("out") != null ? get.apply("out") : "bench/target/results.json");
      return new Settings(warmup, measure, concurrency, mb * 1_000_000L, reps, out,
          Boolean.parseBoolean(get.apply("jdk-tls")), quick);
    }
  }

  private final Settings s;
  private final Map<String, Object> json = new LinkedHashMap<>();
  private BenchUpstream upstream;
  private ProxyServer proxy;
  private EventLoopGroup clients;
  private TestPki pki;
  private SslContext clientTls;

  private Bench(Settings s) {
    this.s = s;
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.parse(args);
    if (s.jdkTls()) {
      System.setProperty("mcptunnel.tls.jdk", "true");
    }
    Bench b = new Bench(s);
    try {
      b.setUp();
      b.run();
    } finally {
      b.tearDown();
    }
    System.exit(0);
  }

  // ---------------------------------------------------------------------------------------- set-up

  private void setUp() throws Exception {
    upstream = new BenchUpstream();
    Path dir = Files.createTempDirectory("mcptunnel-bench");
    dir.toFile().deleteOnExit();
    pki = TestPki.create("bench-ca");
    IssuedCertificate server = pki.server(DOMAIN, "*." + DOMAIN);
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    TestPki.write(server, cert, key);
    cert.toFile().deleteOnExit();
    key.toFile().deleteOnExit();
    String yaml = """
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        log_level: warn
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        routes:
          bench: http://127.0.0.1:%d
        upstream:
          allowed_ips: [127.0.0.1]
        """.formatted(DOMAIN, cert, key, upstream.address().getPort());
    ProxyConfig config = ProxyConfigParser.parse(yaml, "bench-config");
    proxy = ProxyServer.start(config, ProxyServer.Options.defaults());
    clients = Transports.group("bench-client", 2);
    clientTls = newClientContext();
    // Smoke check: both paths answer the same bytes before anything is timed.
    try (Conn d = DirectConn.connect(clients, upstream.address()); Conn t = tunnel(clientTls)) {
      check(d.exchange(mcp(d)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
      check(t.exchange(mcp(t)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
    }
  }

  private void tearDown() {
    if (proxy != null) {
      proxy.shutdown();
    }
    if (clients != null) {
      clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private SslContext newClientContext() throws SSLException {
    return SslContextBuilder.forClient()
        .sslProvider(SslContexts.provider())
        .trustManager(pki.ca().certificate())
        .protocols("TLSv1.3", "TLSv1.2")
        .endpointIdentificationAlgorithm("HTTPS")
        .build();
  }

  private TunnelConn tunnel(SslContext tls) throws Exception {
    return new TunnelConn(TestCaller.connect(clients, proxy.listenAddress(), TUNNEL_HOST, tls), TUNNEL_HOST);
  }

  static FullHttpRequest mcp(Conn c) {
    return TestCaller.request(HttpMethod.POST, c.host(), "/mcp", MCP_HEADERS, MCP_REQUEST);
  }

  static FullHttpRequest stream(Conn c, long n) {
    return TestCaller.request(HttpMethod.GET, c.host(), "/stream?n=" + n, Map.of(), null);
  }

  static void check(Conn.Result r, long expectBytes) {
    if (r.status() != 200 || r.bytes() != expectBytes) {
      throw new IllegalStateException("unexpected response: status " + r.status() + ", " + r.bytes()
          + " body bytes (expected 200, " + expectBytes + ")");
    }
  }

  // ------------------------------------------------------------------------------------------ run

  private void run() throws Exception {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("time", Instant.now().toString());
    env.put("cores", Runtime.getRuntime().availableProcessors());
    env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    env.put("transport", Transports.name());
    env.put("tls_provider", SslContexts.provider().name()
        + (SslContexts.provider() == io.netty.handler.ssl.SslProvider.OPENSSL ? " (" + OpenSsl.versionString() + ")" : ""));
    env.put("threads", "upstream 1, proxy accept 1 + workers Netty default (2 x cores), clients 2; one JVM");
    env.put("warmup_s", s.warmup());
    env.put("measure_s", s.measure());
    env.put("loadavg_start", loadAvg());
    json.put("environment", env);
    System.out.printf(Locale.ROOT, "mcptunnel bench: %d cores, %s, transport %s, inner TLS %s%n",
        env.get("cores"), env.get("java"), env.get("transport"), env.get("tls_provider"));
    System.out.printf(Locale.ROOT, "phases: %.0f s warm-up + %.0f s measure; load average at start: %s%n%n",
        s.warmup(), s.measure(), env.get("loadavg_start"));

    List<Map<String, Object>> small = new ArrayList<>();
    for (int c : s.concurrency()) {
      for (String side : List.of("direct", "tunnel")) {
        progress("small calls, " + side + ", concurrency " + c);
        small.add(smallCalls(side, c));
      }
    }
    json.put("small_calls", small);

    List<Map<String, Object>> streams = new ArrayList<>();
    for (String side : List.of("direct", "tunnel")) {
      progress("streamed response, " + side);
      streams.add(streaming(side));
    }
    json.put("streaming", streams);

    List<Map<String, Object>> sessions = new ArrayList<>();
    for (String mode : List.of("direct-new-connection", "tunnel-full-handshake", "tunnel-resumed")) {
      progress("new sessions, " + mode);
      sessions.add(sessions(mode));
    }
    json.put("new_sessions", sessions);
    env.put("loadavg_end", loadAvg());

    json.put("targets", targets(small, streams));
    printTables(small, streams, sessions);
    Files.createDirectories(s.out().toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s.out().toFile(), json);
    System.out.println("\nresults written to " + s.out());
  }

  private static void progress(String what) {
    System.err.println("[bench] " + what);
  }

  // ------------------------------------------------------------------------------- small calls

  private Conn open(String side) throws Exception {
    return side.equals("direct") ? DirectConn.connect(clients, upstream.address()) : tunnel(clientTls);
  }

  /** {@code concurrency} sessions, each in a closed loop of sequential requests chained asynchronously. */
  private Map<String, Object> smallCalls(String side, int concurrency) throws Exception {
    List<Conn> conns = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      conns.add(open(side));
    }
    Recorder recorder = new Recorder(3);
    AtomicLong phase = new AtomicLong(0); // 0 warm-up, 1 measure, 2 stop
    AtomicLong errors = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(conns.size());
    long expect = BenchUpstream.mcpResponseLength();
    for (Conn c : conns) {
      new Object() {
        void next() {
          if (phase.get() == 2) {
            stopped.countDown();
            return;
          }
          long t0 = System.nanoTime();
          c.exchange(mcp(c)).whenComplete((r, e) -> {
            long dt = System.nanoTime() - t0;
            if (e == null && (r.status() != 200 || r.bytes() != expect)) {
              e = new IllegalStateException("status " + r.status() + ", " + r.bytes() + " bytes");
            }
            if (e != null) {
              errors.incrementAndGet();
              firstError.compareAndSet(null, e);
              stopped.countDown();
              return;
            }
            if (phase.get() == 1) {
              recorder.recordValue(dt);
            }
            next();
          });
        }
      }.next();
    }
    sleep(s.warmup());
    recorder.getIntervalHistogram();
    CpuMeter cpu = CpuMeter.start();
    phase.set(1);
    long t0 = System.nanoTime();
    sleep(s.measure());
    phase.set(2);
    long t1 = System.nanoTime();
    Histogram h = recorder.getIntervalHistogram();
    Map<String, Long> cpuNanos = cpu.stop();
    double machine = cpu.machineCoresBusy();
    stopped.await(30, TimeUnit.SECONDS);
    conns.forEach(Conn::close);
    if (firstError.get() != null) {
      throw new IllegalStateException(side + " small calls failed (" + errors.get() + " errors)", firstError.get());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", side);
    m.put("concurrency", concurrency);
    m.put("requests", h.getTotalCount());
    m.put("req_per_s", round(h.getTotalCount() / ((t1 - t0) / 1e9), 0));
    putLatency(m, h);
    m.put("cpu_us_per_request", perUnit(cpuNanos, 1e3 * Math.max(1, h.getTotalCount())));
    m.put("cpu_cores_busy", round(cpuNanos.get("total") / (double) (t1 - t0), 2));
    m.put("machine_cores_busy", round(machine, 2));
    return m;
  }

  /** CPU per unit of work, by group, from nanoseconds divided by {@code divisor}. */
  private static Map<String, Object> perUnit(Map<String, Long> cpuNanos, double divisor) {
    Map<String, Object> m = new LinkedHashMap<>();
    cpuNanos.forEach((k, v) -> m.put(k, round(v / divisor, 1)));
    return m;
  }

  private static void putLatency(Map<String, Object> m, Histogram h) {
    m.put("p50_us", round(h.getValueAtPercentile(50) / 1e3, 1));
    m.put("p99_us", round(h.getValueAtPercentile(99) / 1e3, 1));
    m.put("mean_us", round(h.getMean() / 1e3, 1));
    m.put("max_us", round(h.getMaxValue() / 1e3, 1));
  }

  // --------------------------------------------------------------------------------- streaming

  private Map<String, Object> streaming(String side) throws Exception {
    long n = s.streamBytes();
    List<Double> rates = new ArrayList<>();
    long totalNanos = 0;
    Map<String, Long> cpuNanos;
    double machine;
    try (Conn c = open(side)) {
      // Warm-up: untimed transfers for the warm-up time (at least one).
      long warmEnd = System.nanoTime() + (long) (s.warmup() * 1e9);
      do {
        check(c.exchange(stream(c, n)).get(5, TimeUnit.MINUTES), n);
      } while (System.nanoTime() < warmEnd);
      CpuMeter cpu = CpuMeter.start();
      for (int i = 0; i < s.streamReps(); i++) {
        long t0 = System.nanoTime();
        Conn.Result r = c.exchange(stream(c, n)).get(5, TimeUnit.MINUTES);
        long dt = System.nanoTime() - t0;
        check(r, n);
        totalNanos += dt;
        rates.add(round(n / 1e6 / (dt / 1e9), 1));
      }
      cpuNanos = cpu.stop();
      machine = cpu.machineCoresBusy();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", side);
    m.put("bytes_per_transfer", n);
    m.put("transfers", s.streamReps());
    m.put("mb_per_s", round(n * (double) s.streamReps() / 1e6 / (totalNanos / 1e9), 1));
    m.put("mb_per_s_each", rates);
    // CPU milliseconds per 100 MB moved, by group.
    m.put("cpu_ms_per_100mb", perUnit(cpuNanos, 1e6 * (n * (double) s.streamReps() / 1e8)));
    m.put("cpu_cores_busy", round(cpuNanos.get("total") / (double) totalNanos, 2));
    m.put("machine_cores_busy", round(machine, 2));
    return m;
  }

  // ------------------------------------------------------------------------------ new sessions

  /**
   * Sequential connect + one small request + close. Full handshakes use a client context with its
   * session cache switched off (BoringSSL) or a fresh client context per connection (JDK; built
   * outside the timed part); resumed ones share one context so the client can offer its ticket.
   */
  private Map<String, Object> sessions(String mode) throws Exception {
    SslContext shared = null;
    boolean freshPerConnection = false;
    if (mode.equals("tunnel-resumed")) {
      shared = newClientContext();
    } else if (mode.equals("tunnel-full-handshake")) {
      shared = newClientContext();
      if (shared.sessionContext() instanceof OpenSslSessionContext openssl) {
        openssl.setSessionCacheEnabled(false);
      } else {
        freshPerConnection = true;
      }
    }
    Histogram h = new Histogram(3);
    long count = 0;
    long resumed = 0;
    long known = 0;
    String detection = null;
    long end = System.nanoTime() + (long) (s.warmup() * 1e9);
    boolean measuring = false;
    long measuredNanos = 0;
    CpuMeter cpu = null;
    Map<String, Long> cpuNanos = null;
    double machine = -1;
    while (true) {
      if (System.nanoTime() >= end) {
        if (measuring) {
          cpuNanos = cpu.stop();
          machine = cpu.machineCoresBusy();
          break;
        }
        measuring = true;
        cpu = CpuMeter.start();
        end = System.nanoTime() + (long) (s.measure() * 1e9);
      }
      SslContext tls = freshPerConnection ? newClientContext() : shared;
      long startMillis = System.currentTimeMillis();
      long t0 = System.nanoTime();
      Boolean reused = null;
      if (mode.equals("direct-new-connection")) {
        try (DirectConn d = DirectConn.connect(clients, upstream.address())) {
          check(d.exchange(mcp(d)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
        }
      } else {
        try (TunnelConn t = tunnel(tls)) {
          check(t.exchange(mcp(t)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
          SSLEngine engine = t.caller().channel().pipeline().get(SslHandler.class).engine();
          Resumption rs = resumption(engine, startMillis);
          reused = rs.reused();
          detection = rs.method();
        }
      }
      long dt = System.nanoTime() - t0;
      if (measuring) {
        h.recordValue(dt);
        measuredNanos += dt;
        count++;
        if (reused != null) {
          known++;
          if (reused) {
            resumed++;
          }
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode);
    m.put("sessions", count);
    m.put("per_s", round(count / (measuredNanos / 1e9), 1));
    putLatency(m, h);
    m.put("cpu_us_per_session", perUnit(cpuNanos, 1e3 * Math.max(1, count)));
    m.put("machine_cores_busy", round(machine, 2));
    if (!mode.startsWith("direct")) {
      m.put("resumed_fraction", known == 0 ? null : round(resumed / (double) known, 3));
      m.put("resumption_detected_by", detection);
    }
    return m;
  }

  record Resumption(Boolean reused, String method) {}

  /**
   * Whether the handshake resumed a session: BoringSSL's {@code SSL_session_reused} through the
   * engine's (package-private) {@code isSessionReused}; on the JDK, a resumed session keeps the
   * creation time of the session it resumes, so it predates this connection.
   */
  static Resumption resumption(SSLEngine engine, long connectStartMillis) {
    for (Class<?> c = engine.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Method m = c.getDeclaredMethod("isSessionReused");
        m.setAccessible(true);
        return new Resumption((Boolean) m.invoke(engine), "OpenSSL SSL_session_reused");
      } catch (NoSuchMethodException e) {
        // keep looking up the hierarchy
      } catch (ReflectiveOperationException | RuntimeException e) {
        break;
      }
    }
    return new Resumption(engine.getSession().getCreationTime() < connectStartMillis,
        "SSLSession creation time predates the connection");
  }

  // ------------------------------------------------------------------------------------ report

  private static Map<String, Object> find(List<Map<String, Object>> rows, String side, Integer concurrency) {
    for (Map<String, Object> r : rows) {
      if (side.equals(r.get("side")) && (concurrency == null || concurrency.equals(r.get("concurrency")))) {
        return r;
      }
    }
    return null;
  }

  private Map<String, Object> targets(List<Map<String, Object>> small, List<Map<String, Object>> streams) {
    Map<String, Object> t = new LinkedHashMap<>();
    Map<String, Object> d32 = find(small, "direct", 32);
    Map<String, Object> t32 = find(small, "tunnel", 32);
    if (d32 != null && t32 != null) {
      double ratio = num(t32, "req_per_s") / num(d32, "req_per_s");
      t.put("throughput_c32_ratio", target(ratio, ratio >= 0.5, ">= 0.50 of direct req/s at concurrency 32"));
    }
    Map<String, Object> d1 = find(small, "direct", 1);
    Map<String, Object> t1 = find(small, "tunnel", 1);
    if (d1 != null && t1 != null) {
      double added = num(t1, "p50_us") - num(d1, "p50_us");
      t.put("added_p50_c1_us", target(added, added <= 500, "<= 500 us added p50 at concurrency 1"));
      t.put("throughput_c1_ratio", round(num(t1, "req_per_s") / num(d1, "req_per_s"), 3));
    }
    double sr = num(find(streams, "tunnel", null), "mb_per_s") / num(find(streams, "direct", null), "mb_per_s");
    t.put("streaming_ratio", target(sr, sr >= 0.5, ">= 0.50 of direct MB/s"));
    return t;
  }

  private static Map<String, Object> target(double value, boolean met, String goal) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("value", round(value, 3));
    m.put("goal", goal);
    m.put("met", met);
    return m;
  }

  private static double num(Map<String, Object> m, String k) {
    return ((Number) m.get(k)).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private void printTables(List<Map<String, Object>> small, List<Map<String, Object>> streams,
      List<Map<String, Object>> sessions) {
    String cpuHead = String.format(Locale.ROOT, "%8s %8s %8s %8s %8s %8s %8s", "client", "proxy", "upstream", "jit",
        "gc", "other", "total");
    System.out.println("1. Small JSON-RPC calls (POST /mcp, " + MCP_REQUEST.length + " B request, "
        + BenchUpstream.mcpResponseLength() + " B response; reused connections/sessions, closed loop)");
    System.out.printf(Locale.ROOT, "  %-7s %5s %9s %9s %9s %9s  %s%n", "path", "conc", "req/s", "p50 us", "p99 us",
        "max us", "cores busy: bench / whole machine");
    for (Map<String, Object> r : small) {
      System.out.printf(Locale.ROOT, "  %-7s %5d %9.0f %9.1f %9.1f %9.1f  %.2f / %.2f%n", r.get("side"),
          r.get("concurrency"), num(r, "req_per_s"), num(r, "p50_us"), num(r, "p99_us"), num(r, "max_us"),
          num(r, "cpu_cores_busy"), num(r, "machine_cores_busy"));
    }
    for (int c : s.concurrency()) {
      Map<String, Object> d = find(small, "direct", c);
      Map<String, Object> t = find(small, "tunnel", c);
      System.out.printf(Locale.ROOT, "  concurrency %d: tunnel/direct req/s = %.2f, added p50 = %.1f us%n", c,
          num(t, "req_per_s") / num(d, "req_per_s"), num(t, "p50_us") - num(d, "p50_us"));
    }
    System.out.println("  CPU us per request       " + cpuHead);
    for (Map<String, Object> r : small) {
      System.out.printf(Locale.ROOT, "  %-7s concurrency %-4d %s%n", r.get("side"), r.get("concurrency"),
          cpuRow((Map<String, Object>) r.get("cpu_us_per_request"), "%8.1f"));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "2. Streamed response (GET /stream, %d MB, 64 KiB chunks, byte count verified)%n",
        s.streamBytes() / 1_000_000);
    for (Map<String, Object> r : streams) {
      System.out.printf(Locale.ROOT, "  %-7s %8.1f MB/s   cores busy: bench %.2f / machine %.2f   each %s%n",
          r.get("side"), num(r, "mb_per_s"), num(r, "cpu_cores_busy"), num(r, "machine_cores_busy"),
          r.get("mb_per_s_each"));
    }
    System.out.printf(Locale.ROOT, "  tunnel/direct = %.2f%n",
        num(find(streams, "tunnel", null), "mb_per_s") / num(find(streams, "direct", null), "mb_per_s"));
    System.out.println("  CPU ms per 100 MB        " + cpuHead);
    for (Map<String, Object> r : streams) {
      System.out.printf(Locale.ROOT, "  %-24s %s%n", r.get("side"), cpuRow((Map<String, Object>) r.get("cpu_ms_per_100mb"),
          "%8.0f"));
    }
    System.out.println();
    System.out.println("3. New sessions (sequential: connect + 1 POST /mcp + close)");
    System.out.printf(Locale.ROOT, "  %-23s %9s %10s %10s  %-8s %s%n", "mode", "per s", "p50 us", "p99 us",
        "resumed", "machine cores busy");
    for (Map<String, Object> r : sessions) {
      Object f = r.get("resumed_fraction");
      String resumed = r.containsKey("resumed_fraction")
          ? (f == null ? "unknown" : String.format(Locale.ROOT, "%.0f%%", ((Number) f).doubleValue() * 100)) : "-";
      System.out.printf(Locale.ROOT, "  %-23s %9.1f %10.1f %10.1f  %-8s %.2f%n", r.get("mode"), num(r, "per_s"),
          num(r, "p50_us"), num(r, "p99_us"), resumed, num(r, "machine_cores_busy"));
    }
    Map<String, Object> resumedRow = sessions.stream().filter(r -> "tunnel-resumed".equals(r.get("mode")))
        .findFirst().orElse(null);
    if (resumedRow != null && resumedRow.get("resumed_fraction") instanceof Number f && f.doubleValue() < 0.99) {
      System.out.printf(Locale.ROOT, "  NOTE: only %.0f%% of 'resumed' sessions actually resumed (%s)%n",
          f.doubleValue() * 100, resumedRow.get("resumption_detected_by"));
    }
    System.out.println("  CPU us per session       " + cpuHead);
    for (Map<String, Object> r : sessions) {
      System.out.printf(Locale.ROOT, "  %-24s %s%n", r.get("mode"), cpuRow((Map<String, Object>) r.get(
          "cpu_us_per_session"), "%8.0f"));
    }
    System.out.println();
    System.out.println("Targets");
    Map<String, Object> t = (Map<String, Object>) json.get("targets");
    for (var e : t.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> m) {
        System.out.printf(Locale.ROOT, "  %-22s %10.3f  goal %-45s %s%n", e.getKey(), ((Number) m.get("value"))
            .doubleValue(), m.get("goal"), Boolean.TRUE.equals(m.get("met")) ? "MET" : "NOT MET");
      }
    }
    System.out.printf(Locale.ROOT, "%nload average: start %s, end %s%n",
        ((Map<String, Object>) json.get("environment")).get("loadavg_start"),
        ((Map<String, Object>) json.get("environment")).get("loadavg_end"));
  }

  private static String cpuRow(Map<String, Object> c, String fmt) {
    StringBuilder b = new StringBuilder();
    for (String k : List.of("client", "proxy", "upstream", "jit", "gc", "other", "total")) {
      b.append(String.format(Locale.ROOT, fmt, num(c, k))).append(' ');
    }
    return b.toString().stripTrailing();
  }

  // ---------------------------------------------------------------------------------- helpers

  private static String loadAvg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  private static void sleep(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  static double round(double v, int places) {
    double p = Math.pow(10, places);
    return Math.round(v * p) / p;
  }

}
