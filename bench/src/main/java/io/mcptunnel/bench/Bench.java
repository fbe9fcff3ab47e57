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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures, in one run and all on loopback, five ways of making the same small MCP call and the
 * same large download to one upstream:
 *
 * <ul>
 *   <li>{@code direct}: HTTP/1.1 straight to the upstream (the baseline);
 *   <li>{@code proxy}: the proxy alone: WebSocket → inner TLS → HTTP/1.1 → proxy → upstream;
 *   <li>{@code proxy+policy}: the same, through a second proxy whose route has a policy
 *       ({@code allowed_tools}, {@code require_authorization}, {@code max_request_bytes}; no rate
 *       limit): what the opt-in route policies cost. A second proxy, because any {@code policies:}
 *       map puts the policy handler on every session of that proxy, which would change {@code proxy};
 *   <li>{@code tunnel}: the full path: caller → TLS + HTTP/2 stream to the edge → connector (TLS 1.3,
 *       HTTP/2 reversed) → WebSocket → proxy, with the caller's inner TLS inside, → upstream;
 *   <li>{@code peer}: an off-the-shelf relay: stunnel (client) → TLS → stunnel (server) → nginx
 *       (host routing) → upstream, from Debian's packages, as child processes.
 * </ul>
 *
 * Plus new sessions per second and (child JVMs) the memory of an idle connector and of idle
 * connections at the edge.
 *
 * <pre>
 * bench/run [--quick] [--warmup=SECONDS] [--measure=SECONDS] [--concurrency=1,32]
 *           [--stream-mb=100] [--stream-reps=3] [--out=bench/target/results.json] [--jdk-tls]
 *           [--no-peer] [--no-memory] [--idle-connections=1000] [--child-jvm-opts="..."]
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
  /** The {@code proxy+policy} side: its route, and the Bearer token its policy requires. */
  static final String POLICY_SIDE = "proxy+policy";
  static final String POLICY_ROUTE = "guarded";
  static final String POLICY_HOST = POLICY_ROUTE + "." + DOMAIN;
  static final String POLICY_AUTHORIZATION = "Bearer bench-token";
  /** The tool of {@link #MCP_REQUEST}, the only one the policy allows. */
  static final String POLICY_TOOL = "get_weather";

  /** Targets of the full-path issue. */
  static final double TUNNEL_ADDED_P50_MAX_US = 1000;
  static final double TUNNEL_VS_PEER_MIN = 1.0;

  private static final List<String> FLAGS = List.of("quick", "warmup", "measure", "concurrency", "stream-mb",
      "stream-reps", "out", "jdk-tls", "no-peer", "no-memory", "idle-connections", "child-jvm-opts");

  record Settings(double warmup, double measure, int[] concurrency, long streamBytes, int streamReps, Path out,
      boolean jdkTls, boolean quick, boolean peer, boolean memory, int idleConnections, List<String> childJvmOptions) {
    static Settings parse(String[] args) {
      Map<String, String> flags = new LinkedHashMap<>();
      for (String a : args) {
        if (a.equals("-h") || a.equals("--help")) {
          System.out.println("""
              usage: bench/run [--quick] [--warmup=S] [--measure=S] [--concurrency=1,32]
                               [--stream-mb=100] [--stream-reps=3] [--out=PATH] [--jdk-tls]
                               [--no-peer] [--no-memory] [--idle-connections=N] [--child-jvm-opts="..."]
                --quick             1 s warm-up + 2.5 s measure per phase, 1 stream repetition,
                                    300 idle connections (about 1.5 min)
                defaults            5 s warm-up + 10 s measure per phase, 3 stream repetitions,
                                    1000 idle connections
                --jdk-tls           the JDK TLS provider for proxy, edge, connector and the proxy-only
                                    caller instead of BoringSSL (the full path's inner TLS client stays
                                    on BoringSSL: InnerTls picks it where it loads)
                --no-peer           skip the stunnel + nginx peer stack
                --no-memory         skip the memory phase (child JVMs)
                --idle-connections  N for the per-connection memory figures
                --child-jvm-opts    JVM options of the child edge and connector (default: none, as the
                                    ./mcptunnel launcher without MCPTUNNEL_JAVA_OPTS)
              flags can also be set as -Dbench.<name>=VALUE""");
          System.exit(0);
        }
        if (!a.startsWith("--")) {
          throw new IllegalArgumentException("unknown argument: " + a + " (try --help)");
        }
        int eq = a.indexOf('=');
        flags.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
      }
      for (String k : flags.keySet()) {
        if (!FLAGS.contains(k)) {
          throw new IllegalArgumentException("unknown flag --" + k + " (try --help)");
        }
      }
      Function<String, String> get = k -> flags.getOrDefault(k, System.getProperty("bench." + k));
      boolean quick = Boolean.parseBoolean(get.apply("quick"));
      double warmup = get.apply("warmup") != null ? Double.parseDouble(get.apply("warmup")) : quick ? 1 : 5;
      double measure = get.apply("measure") != null ? Double.parseDouble(get.apply("measure")) : quick ? 2.5 : 10;
      String conc = get.apply("concurrency") != null ? get.apply("concurrency") : "1,32";
      int[] concurrency = Arrays.stream(conc.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
      long mb = get.apply("stream-mb") != null ? Long.parseLong(get.apply("stream-mb")) : 100;
      int reps = get.apply("stream-reps") != null ? Integer.parseInt(get.apply("stream-reps")) : quick ? 1 : 3;
      Path out = Path.of(get.apply("out") != null ? get.apply("out") : "bench/target/results.json");
      int idle = get.apply("idle-connections") != null ? Integer.parseInt(get.apply("idle-connections"))
          : quick ? 300 : 1000;
      String jvm = get.apply("child-jvm-opts");
      List<String> childJvm = jvm == null || jvm.isBlank() ? List.of() : List.of(jvm.trim().split("\\s+"));
      return new Settings(warmup, measure, concurrency, mb * 1_000_000L, reps, out,
          Boolean.parseBoolean(get.apply("jdk-tls")), quick, !Boolean.parseBoolean(get.apply("no-peer")),
          !Boolean.parseBoolean(get.apply("no-memory")), idle, childJvm);
    }
  }

  private final Settings s;
  private final Map<String, Object> json = new LinkedHashMap<>();
  private final List<String> sides = new ArrayList<>(List.of("direct", "proxy", POLICY_SIDE, "tunnel"));
  private Path dir;
  private BenchUpstream upstream;
  private ProxyServer proxy;
  private ProxyServer policyProxy;
  private EventLoopGroup clients;
  private TestPki pki;
  private Path caFile;
  private SslContext clientTls;
  private FullPath full;
  private SslContext tunnelInner;
  private final AtomicInteger tunnelIndex = new AtomicInteger();
  private PeerStack peer;
  /** Kept after a failure: child logs and generated configurations explain it (throwaway keys too). */
  private volatile boolean keepDir = true;

  private Bench(Settings s) {
    this.s = s;
  }

  public static void main(String[] args) throws Exception {
    Settings s = Settings.parse(args);
    if (s.jdkTls()) {
      System.setProperty("mcptunnel.tls.jdk", "true");
    }
    Bench b = new Bench(s);
    // Child processes (peer stack) must not outlive an interrupted run.
    Thread cleanup = new Thread(b::tearDown, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    int status = 0;
    try {
      b.setUp();
      b.run();
      b.keepDir = false;
    } catch (PeerStack.MissingBinaryException e) {
      System.err.println("[bench] " + e.getMessage());
      status = 3;
    } catch (Exception | Error e) {
      e.printStackTrace();
      status = 1;
    } finally {
      b.tearDown();
    }
    System.exit(status);
  }

  // ---------------------------------------------------------------------------------------- set-up

  private void setUp() throws Exception {
    if (s.peer()) {
      PeerStack.stunnelBinary(); // fail before anything starts when the peer stack cannot run
      PeerStack.nginxBinary();
    }
    upstream = new BenchUpstream();
    dir = Files.createTempDirectory("mcptunnel-bench");
    pki = TestPki.create("bench-ca");
    IssuedCertificate server = pki.server(DOMAIN, "*." + DOMAIN);
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    TestPki.write(server, cert, key);
    caFile = pki.writeCa(dir.resolve("tunnel-ca.pem"));
    String yaml = """
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        log_level: warn
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        upstream:
          allowed_ips: [127.0.0.1]
        routes:
          bench: http://127.0.0.1:%d
        """.formatted(DOMAIN, cert, key, upstream.address().getPort());
    ProxyConfig config = ProxyConfigParser.parse(yaml, "bench-config");
    proxy = ProxyServer.start(config, ProxyServer.Options.defaults());
    // The policy side: its own proxy (same options and routes), plus a second route to the same
    // upstream with a policy. No rate_limit: a limit high enough never to refuse is one more check
    // per request, and one low enough to matter would measure refusals.
    String policyYaml = yaml + """
          %s: http://127.0.0.1:%d
        policies:
          %s:
            allowed_tools: [%s]
            require_authorization: true
            max_request_bytes: 1048576
        """.formatted(POLICY_ROUTE, upstream.address().getPort(), POLICY_ROUTE, POLICY_TOOL);
    policyProxy = ProxyServer.start(ProxyConfigParser.parse(policyYaml, "bench-policy-config"),
        ProxyServer.Options.defaults());
    clients = Transports.group("bench-client", 2);
    clientTls = newClientContext();
    progress("starting edge and connector (in this JVM)");
    full = FullPath.start(dir, pki, proxy.listenAddress(), clients);
    tunnelInner = full.innerTls();
    if (s.peer()) {
      progress("starting the peer stack (stunnel client, stunnel server, nginx)");
      peer = PeerStack.start(dir.resolve("peer"), cert, key, caFile, upstream.address());
      sides.add("peer");
    }
    // Smoke check: every path answers the same bytes before anything is timed.
    for (String side : sides) {
      try (Conn c = open(side)) {
        check(c.exchange(mcp(c)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
        check(c.exchange(stream(c, 1_000_003)).get(30, TimeUnit.SECONDS), 1_000_003);
      } catch (Exception e) {
        throw new IllegalStateException("smoke check of the " + side + " path failed: " + e, e);
      }
    }
    checkPolicy();
  }

  /**
   * The policy side must measure the forward path, not a refusal (a refused tools/call is also a
   * 200): the allowed call gets the upstream's body byte for byte, and the policy is really on (a
   * request without the token gets 401, a call of another tool the JSON-RPC error).
   */
  private void checkPolicy() throws Exception {
    try (TunnelConn c = (TunnelConn) open(POLICY_SIDE)) {
      TestCaller.Response ok = c.caller().send(mcp(c)).get(10, TimeUnit.SECONDS);
      if (ok.status() != 200 || !ok.text().equals(BenchUpstream.MCP_RESPONSE)) {
        throw new IllegalStateException("policy route: the allowed tools/call got " + ok.status() + " " + ok.text());
      }
      FullHttpRequest noToken = mcp(c);
      noToken.headers().remove(HttpHeaderNames.AUTHORIZATION);
      TestCaller.Response unauthorized = c.caller().send(noToken).get(10, TimeUnit.SECONDS);
      byte[] other = new String(MCP_REQUEST, StandardCharsets.UTF_8).replace(POLICY_TOOL, "delete_everything")
          .getBytes(StandardCharsets.UTF_8);
      TestCaller.Response refused = c.caller().send(TestCaller.request(HttpMethod.POST, c.host(), "/mcp",
          mcpHeaders(c), other)).get(10, TimeUnit.SECONDS);
      if (unauthorized.status() != 401 || !refused.text().contains("is not allowed on this route")) {
        throw new IllegalStateException("policy route: the policy is not applied (no token: " + unauthorized.status()
            + "; other tool: " + refused.status() + " " + refused.text() + ")");
      }
    }
    if (policyRefusals() != 2) {
      throw new IllegalStateException("policy route: " + policyRefusals() + " refusals counted, expected 2");
    }
  }

  /** The timed phases must not have measured refusals: the 2 of {@link #checkPolicy} are all. */
  private void checkNoPolicyRefusals(String phase) {
    long n = policyRefusals();
    if (n != 2) {
      throw new IllegalStateException(POLICY_SIDE + " " + phase + ": the policy refused " + (n - 2) + " requests");
    }
  }

  /** Requests the policy proxy refused so far ({@code mcptunnel_proxy_policy_refusals_total}). */
  private long policyRefusals() {
    return Math.round(policyProxy.registry().find("mcptunnel.proxy.policy.refusals").counters().stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
  }

  private synchronized void tearDown() {
    if (peer != null) {
      peer.close();
      peer = null;
    }
    if (full != null) {
      full.close();
      full = null;
    }
    if (proxy != null) {
      proxy.shutdown();
      proxy = null;
    }
    if (policyProxy != null) {
      policyProxy.shutdown();
      policyProxy = null;
    }
    if (clients != null) {
      clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      clients = null;
    }
    if (upstream != null) {
      upstream.close();
      upstream = null;
    }
    if (dir != null) {
      if (keepDir) {
        System.err.println("[bench] kept " + dir + " (logs and configurations of the failed run; throwaway keys)");
      } else {
        deleteTree(dir); // certificates, keys, generated configurations, child logs
      }
      dir = null;
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

  private TunnelConn proxyConn(SslContext tls) throws Exception {
    return new TunnelConn(TestCaller.connect(clients, proxy.listenAddress(), TUNNEL_HOST, tls), TUNNEL_HOST);
  }

  static FullHttpRequest mcp(Conn c) {
    return TestCaller.request(HttpMethod.POST, c.host(), "/mcp", mcpHeaders(c), MCP_REQUEST);
  }

  static FullHttpRequest stream(Conn c, long n) {
    return TestCaller.request(HttpMethod.GET, c.host(), "/stream?n=" + n,
        c.host().equals(POLICY_HOST) ? POLICY_HEADERS : Map.of(), null);
  }

  private static final Map<String, String> POLICY_HEADERS =
      Map.of(HttpHeaderNames.AUTHORIZATION.toString(), POLICY_AUTHORIZATION);
  private static final Map<String, String> MCP_POLICY_HEADERS;

  static {
    Map<String, String> h = new LinkedHashMap<>(MCP_HEADERS);
    h.putAll(POLICY_HEADERS);
    MCP_POLICY_HEADERS = Map.copyOf(h);
  }

  /** The policy side alone sends the Bearer token its route requires. */
  static Map<String, String> mcpHeaders(Conn c) {
    return c.host().equals(POLICY_HOST) ? MCP_POLICY_HEADERS : MCP_HEADERS;
  }

  static void check(Conn.Result r, long expectBytes) {
    if (r.status() != 200 || r.bytes() != expectBytes) {
      throw new IllegalStateException("unexpected response: status " + r.status() + ", " + r.bytes()
          + " body bytes (expected 200, " + expectBytes + ")");
    }
  }

  private Conn open(String side) throws Exception {
    return switch (side) {
      case "direct" -> DirectConn.connect(clients, upstream.address());
      case "proxy" -> proxyConn(clientTls);
      case POLICY_SIDE -> new TunnelConn(TestCaller.connect(clients, policyProxy.listenAddress(), POLICY_HOST,
          clientTls), POLICY_HOST);
      case "tunnel" -> full.open(tunnelInner, tunnelIndex.getAndIncrement());
      case "peer" -> DirectConn.connect(clients, new InetSocketAddress("127.0.0.1", peer.clientPort), TUNNEL_HOST);
      default -> throw new IllegalArgumentException(side);
    };
  }

  private CpuMeter cpuMeter() {
    return peer == null ? CpuMeter.start() : CpuMeter.start(peer.pids());
  }

  // ------------------------------------------------------------------------------------------ run

  private void run() throws Exception {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("time", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    env.put("cores", Runtime.getRuntime().availableProcessors());
    env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    env.put("transport", Transports.name());
    env.put("tls_provider", SslContexts.provider().name()
        + (SslContexts.provider() == io.netty.handler.ssl.SslProvider.OPENSSL ? " (" + OpenSsl.versionString() + ")" : ""));
    env.put("threads", "one JVM: upstream 1, proxy accept 1 + 1 worker per core, edge accept 1 + Netty default "
        + "workers (2 x cores), connector Netty default (2 x cores), clients 2");
    env.put("tls", tlsDescription());
    if (peer != null) {
      env.put("peer_stack", peer.describe());
    }
    env.put("proxy_policy", "route " + POLICY_ROUTE + ": allowed_tools [" + POLICY_TOOL
        + "], require_authorization (Bearer token sent), max_request_bytes 1048576, no rate_limit");
    env.put("warmup_s", s.warmup());
    env.put("measure_s", s.measure());
    env.put("loadavg_start", loadAvg());
    json.put("environment", env);
    System.out.printf(Locale.ROOT, "mcptunnel bench: %d cores, %s, transport %s, TLS %s%n",
        env.get("cores"), env.get("java"), env.get("transport"), env.get("tls_provider"));
    System.out.println("TLS: " + env.get("tls"));
    if (peer != null) {
      System.out.println("peer stack: " + env.get("peer_stack"));
    }
    System.out.printf(Locale.ROOT, "phases: %s s warm-up + %s s measure; load average at start: %s%n%n",
        fmt(s.warmup()), fmt(s.measure()), env.get("loadavg_start"));

    List<Map<String, Object>> small = new ArrayList<>();
    for (int c : s.concurrency()) {
      for (String side : sides) {
        progress("small calls, " + side + ", concurrency " + c);
        small.add(smallCalls(side, c));
      }
    }
    json.put("small_calls", small);
    checkNoPolicyRefusals("small calls");

    List<Map<String, Object>> streams = new ArrayList<>();
    for (String side : sides) {
      progress("streamed response, " + side);
      streams.add(streaming(side));
    }
    json.put("streaming", streams);
    checkNoPolicyRefusals("streamed responses");

    List<Map<String, Object>> sessions = new ArrayList<>();
    List<String> modes = new ArrayList<>(List.of("direct-new-connection", "proxy-full-handshake", "proxy-resumed",
        "tunnel-full-handshake", "tunnel-resumed"));
    if (peer != null) {
      modes.addAll(List.of("peer-full-handshake", "peer-resumed"));
    }
    for (String mode : modes) {
      progress("new sessions, " + mode);
      sessions.add(sessions(mode));
    }
    json.put("new_sessions", sessions);

    List<MemoryProbe.Row> memory = List.of();
    if (s.memory()) {
      progress("memory: child edge and connector JVMs, " + s.idleConnections() + " idle connections each kind");
      memory = new MemoryProbe(dir, full, clients, proxy.listenAddress(), s.idleConnections(), s.childJvmOptions())
          .run(peer);
      json.put("memory", Map.of("idle_connections", s.idleConnections(),
          "child_jvm_options", String.join(" ", s.childJvmOptions()),
          "child_class_path", MemoryProbe.childClassPath(),
          "rows", memory.stream().map(MemoryProbe.Row::json).toList()));
    }
    env.put("loadavg_end", loadAvg());

    json.put("targets", targets(small, streams));
    progress("done");
    String report = report(small, streams, sessions, memory);
    Files.createDirectories(s.out().toAbsolutePath().getParent());
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(s.out().toFile(), json);
    Path md = markdownPath();
    Files.writeString(md, report);
    System.out.println("\nresults written to " + s.out() + " and " + md + " (Markdown tables for docs/performance.md)");
  }

  private Path markdownPath() {
    String name = s.out().getFileName().toString();
    return s.out().resolveSibling(name.endsWith(".json") ? name.substring(0, name.length() - 5) + ".md" : name + ".md");
  }

  /** The TLS versions and cipher suites each hop negotiated, read off live connections. */
  private String tlsDescription() throws Exception {
    StringBuilder b = new StringBuilder();
    try (TunnelConn t = full.open(tunnelInner, 0)) {
      SSLEngine inner = t.caller().channel().pipeline().get(SslHandler.class).engine();
      b.append("inner ").append(inner.getSession().getProtocol()).append(' ').append(inner.getSession().getCipherSuite());
    }
    if (peer != null) {
      b.append("; peer stunnel ").append(peer.cipherSuite());
    }
    return b.toString();
  }

  private static final long STARTED = System.nanoTime();

  static void progress(String what) {
    System.err.printf(Locale.ROOT, "[bench %5.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, what);
  }

  // ------------------------------------------------------------------------------- small calls

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
    CpuMeter cpu = cpuMeter();
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
      CpuMeter cpu = cpuMeter();
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
   * Sequential connect + one small request + close.
   *
   * <ul>
   *   <li>proxy: new TCP connection, WebSocket upgrade, inner TLS handshake;
   *   <li>tunnel: a new stream on the caller's open edge session (the edge admits it and opens a
   *       stream on a connector connection, the connector opens its WebSocket to the proxy), then the
   *       inner TLS handshake over it;
   *   <li>peer: a new TCP connection to the client stunnel, which opens a TCP connection and a TLS
   *       session to the server stunnel, which connects to nginx (nginx reuses its upstream
   *       keep-alive connections).
   * </ul>
   *
   * Full handshakes use a client context with its session cache switched off (BoringSSL) or a fresh
   * client context per connection (JDK; built outside the timed part), or the stunnel service with
   * {@code sessionResume = no}; resumed ones share one context (the default stunnel service) so the
   * client offers its ticket. Whether a handshake really resumed is checked every time: through the
   * engine for our TLS, by counting the server stunnel's log lines for the peer.
   */
  private Map<String, Object> sessions(String mode) throws Exception {
    String side = mode.substring(0, mode.indexOf('-'));
    boolean resumedMode = mode.endsWith("-resumed");
    SslContext shared = null;
    boolean freshPerConnection = false;
    if (side.equals("proxy") || side.equals("tunnel")) {
      shared = side.equals("proxy") ? newClientContext() : full.innerTls();
      if (!resumedMode) {
        if (shared.sessionContext() instanceof OpenSslSessionContext openssl) {
          openssl.setSessionCacheEnabled(false);
        } else {
          freshPerConnection = true;
        }
      }
    }
    InetSocketAddress peerAddress = side.equals("peer")
        ? new InetSocketAddress("127.0.0.1", resumedMode ? peer.clientPort : peer.clientFullHandshakePort) : null;
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
    long[] peerHandshakesBefore = null;
    while (true) {
      if (System.nanoTime() >= end) {
        if (measuring) {
          cpuNanos = cpu.stop();
          machine = cpu.machineCoresBusy();
          break;
        }
        measuring = true;
        if (peerAddress != null) {
          peerHandshakesBefore = peer.handshakes();
        }
        cpu = cpuMeter();
        end = System.nanoTime() + (long) (s.measure() * 1e9);
      }
      SslContext tls = freshPerConnection ? (side.equals("proxy") ? newClientContext() : full.innerTls()) : shared;
      long startMillis = System.currentTimeMillis();
      long t0 = System.nanoTime();
      Boolean reused = null;
      switch (side) {
        case "direct" -> {
          try (DirectConn d = DirectConn.connect(clients, upstream.address())) {
            check(d.exchange(mcp(d)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
          }
        }
        case "peer" -> {
          try (DirectConn d = DirectConn.connect(clients, peerAddress, TUNNEL_HOST)) {
            check(d.exchange(mcp(d)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
          }
        }
        default -> {
          try (TunnelConn t = side.equals("proxy") ? proxyConn(tls) : full.open(tls, 0)) {
            check(t.exchange(mcp(t)).get(10, TimeUnit.SECONDS), BenchUpstream.mcpResponseLength());
            SSLEngine engine = t.caller().channel().pipeline().get(SslHandler.class).engine();
            Resumption rs = resumption(engine, startMillis);
            reused = rs.reused();
            detection = rs.method();
          }
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
    if (peerAddress != null) {
      long[] after = peer.handshakes();
      known = after[0] - peerHandshakesBefore[0] + after[1] - peerHandshakesBefore[1];
      resumed = after[1] - peerHandshakesBefore[1];
      detection = "stunnel server log: TLS accepted: previous session reused / new session negotiated";
      if (peerHandshakesBefore[0] < 0 || after[0] < 0) {
        known = 0;
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode);
    m.put("side", side);
    m.put("sessions", count);
    m.put("per_s", round(count / (measuredNanos / 1e9), 1));
    putLatency(m, h);
    m.put("cpu_us_per_session", perUnit(cpuNanos, 1e3 * Math.max(1, count)));
    m.put("machine_cores_busy", round(machine, 2));
    if (!side.equals("direct")) {
      m.put("handshakes_checked", known);
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

  private static Map<String, Object> findMode(List<Map<String, Object>> rows, String mode) {
    return rows.stream().filter(r -> mode.equals(r.get("mode"))).findFirst().orElse(null);
  }

  private static Double ratio(Map<String, Object> a, Map<String, Object> b, String key) {
    return a == null || b == null ? null : num(a, key) / num(b, key);
  }

  private Map<String, Object> targets(List<Map<String, Object>> small, List<Map<String, Object>> streams) {
    Map<String, Object> t = new LinkedHashMap<>();
    // The full path (this issue).
    for (int c : s.concurrency()) {
      Double vsPeer = ratio(find(small, "tunnel", c), find(small, "peer", c), "req_per_s");
      if (vsPeer != null) {
        t.put("tunnel_vs_peer_req_per_s_c" + c, target(vsPeer, vsPeer >= TUNNEL_VS_PEER_MIN,
            ">= 1.00 x the peer stack's small-call req/s at concurrency " + c, "full path"));
      }
    }
    Map<String, Object> d1 = find(small, "direct", 1);
    Map<String, Object> t1 = find(small, "tunnel", 1);
    if (d1 != null && t1 != null) {
      double added = num(t1, "p50_us") - num(d1, "p50_us");
      t.put("tunnel_added_p50_c1_us", target(added, added <= TUNNEL_ADDED_P50_MAX_US,
          "<= 1000 us added p50 over direct at concurrency 1", "full path"));
    }
    // The proxy alone (the earlier issue's targets, kept so both are read off one run).
    Double p32 = ratio(find(small, "proxy", 32), find(small, "direct", 32), "req_per_s");
    if (p32 != null) {
      t.put("proxy_vs_direct_req_per_s_c32", target(p32, p32 >= 0.5, ">= 0.50 x direct req/s at concurrency 32",
          "proxy only"));
    }
    Map<String, Object> p1 = find(small, "proxy", 1);
    if (d1 != null && p1 != null) {
      double added = num(p1, "p50_us") - num(d1, "p50_us");
      t.put("proxy_added_p50_c1_us", target(added, added <= 500, "<= 500 us added p50 over direct at concurrency 1",
          "proxy only"));
    }
    Double ps = ratio(find(streams, "proxy", null), find(streams, "direct", null), "mb_per_s");
    if (ps != null) {
      t.put("proxy_vs_direct_streaming", target(ps, ps >= 0.5, ">= 0.50 x direct MB/s", "proxy only"));
    }
    return t;
  }

  private static Map<String, Object> target(double value, boolean met, String goal, String path) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("value", round(value, 3));
    m.put("goal", goal);
    m.put("met", met);
    return m;
  }

  private static double num(Map<String, Object> m, String k) {
    return ((Number) m.get(k)).doubleValue();
  }

  /** Prints the tables and returns them as Markdown. */
  @SuppressWarnings("unchecked")
  private String report(List<Map<String, Object>> small, List<Map<String, Object>> streams,
      List<Map<String, Object>> sessions, List<MemoryProbe.Row> memory) {
    List<Table> tables = new ArrayList<>();
    List<String> cpuGroups = cpuColumns(Stream.of(small, streams, sessions).flatMap(List::stream).toList());

    Table t1 = new Table("1. Small JSON-RPC calls (POST /mcp, " + MCP_REQUEST.length + " B request, "
        + BenchUpstream.mcpResponseLength() + " B response; reused connections/sessions, closed loop)",
        "path", "conc", "req/s", "p50 µs", "p99 µs", "max µs", "vs direct", "vs peer", "added p50 µs",
        "cores busy (bench / machine)");
    for (Map<String, Object> r : small) {
      int c = (Integer) r.get("concurrency");
      Map<String, Object> d = find(small, "direct", c);
      Map<String, Object> p = find(small, "peer", c);
      t1.row(r.get("side"), c, f0(num(r, "req_per_s")), f1(num(r, "p50_us")), f1(num(r, "p99_us")),
          f1(num(r, "max_us")), f2(ratio(r, d, "req_per_s")), r.get("side").equals("peer") ? null
              : f2(ratio(r, p, "req_per_s")),
          r.get("side").equals("direct") ? null : f1(num(r, "p50_us") - num(d, "p50_us")),
          f2(num(r, "cpu_cores_busy")) + " / " + f2(num(r, "machine_cores_busy")));
    }
    tables.add(t1);
    Table t1c = cpuTable("1b. CPU µs per request, by component", cpuGroups);
    for (Map<String, Object> r : small) {
      cpuRow(t1c, r.get("side") + " c=" + r.get("concurrency"), (Map<String, Object>) r.get("cpu_us_per_request"),
          cpuGroups, "%.1f");
    }
    tables.add(t1c);

    Table t2 = new Table("2. Streamed response (GET /stream, " + s.streamBytes() / 1_000_000 + " MB, 64 KiB chunks, "
        + "byte count verified; " + s.streamReps() + " timed transfer(s) after warm-up)",
        "path", "MB/s", "each", "vs direct", "vs peer", "cores busy (bench / machine)");
    Map<String, Object> sd = find(streams, "direct", null);
    Map<String, Object> sp = find(streams, "peer", null);
    for (Map<String, Object> r : streams) {
      t2.row(r.get("side"), f1(num(r, "mb_per_s")), r.get("mb_per_s_each").toString().replace("[", "").replace("]", ""),
          f2(ratio(r, sd, "mb_per_s")), r.get("side").equals("peer") ? null : f2(ratio(r, sp, "mb_per_s")),
          f2(num(r, "cpu_cores_busy")) + " / " + f2(num(r, "machine_cores_busy")));
    }
    tables.add(t2);
    Table t2c = cpuTable("2b. CPU ms per 100 MB, by component", cpuGroups);
    for (Map<String, Object> r : streams) {
      cpuRow(t2c, (String) r.get("side"), (Map<String, Object>) r.get("cpu_ms_per_100mb"), cpuGroups, "%.0f");
    }
    tables.add(t2c);

    Table t3 = new Table("3. New sessions (sequential: connect + 1 POST /mcp + close)",
        "mode", "sessions/s", "p50 µs", "p99 µs", "resumed (checked)", "vs peer", "machine cores busy");
    for (Map<String, Object> r : sessions) {
      String mode = (String) r.get("mode");
      String peerMode = mode.startsWith("tunnel-") ? "peer-" + mode.substring(7) : null;
      Map<String, Object> pr = peerMode == null ? null : findMode(sessions, peerMode);
      Object f = r.get("resumed_fraction");
      String resumed = !r.containsKey("resumed_fraction") ? null : f == null ? "unknown"
          : String.format(Locale.ROOT, "%.0f%% (%s)", ((Number) f).doubleValue() * 100, r.get("handshakes_checked"));
      t3.row(mode, f1(num(r, "per_s")), f1(num(r, "p50_us")), f1(num(r, "p99_us")), resumed,
          f2(ratio(r, pr, "per_s")), f2(num(r, "machine_cores_busy")));
      if (mode.endsWith("-resumed") && f instanceof Number n && n.doubleValue() < 0.99) {
        t3.note(String.format(Locale.ROOT, "NOTE: only %.0f%% of %s sessions actually resumed (%s)",
            n.doubleValue() * 100, mode, r.get("resumption_detected_by")));
      }
      if (mode.endsWith("-full-handshake") && f instanceof Number n && n.doubleValue() > 0.01) {
        t3.note(String.format(Locale.ROOT, "NOTE: %.0f%% of %s sessions resumed (%s)", n.doubleValue() * 100, mode,
            r.get("resumption_detected_by")));
      }
    }
    tables.add(t3);
    Table t3c = cpuTable("3b. CPU µs per new session, by component", cpuGroups);
    for (Map<String, Object> r : sessions) {
      cpuRow(t3c, (String) r.get("mode"), (Map<String, Object>) r.get("cpu_us_per_session"), cpuGroups, "%.0f");
    }
    tables.add(t3c);

    if (!memory.isEmpty()) {
      Table t4 = new Table("4. Memory (child JVMs run with the CLI; live heap = jcmd GC.class_histogram after a "
          + "full GC; RSS = VmRSS; per connection = delta over [N] idle connections / N)", "what", "live heap", "RSS");
      for (MemoryProbe.Row r : memory) {
        t4.row(r.what(), r.heapBytes() < 0 ? null : bytes(r.heapBytes()), bytes(r.rssBytes()));
      }
      tables.add(t4);
    }

    Table t5 = new Table("Targets", "target", "path", "goal", "measured", "verdict");
    Map<String, Object> targets = (Map<String, Object>) json.get("targets");
    for (var e : targets.entrySet()) {
      Map<String, Object> m = (Map<String, Object>) e.getValue();
      t5.row(e.getKey(), m.get("path"), m.get("goal"), m.get("value"), Boolean.TRUE.equals(m.get("met")) ? "MET"
          : "NOT MET");
    }
    tables.add(t5);

    Map<String, Object> env = (Map<String, Object>) json.get("environment");
    StringBuilder md = new StringBuilder();
    md.append("Run at ").append(env.get("time")).append(", ").append(env.get("cores")).append(" cores, ")
        .append(env.get("java")).append(", transport ").append(env.get("transport")).append(", TLS ")
        .append(env.get("tls_provider")).append("; ").append(env.get("tls")).append(". ")
        .append(s.quick() ? "`bench/run --quick`" : "`bench/run`").append(" (").append(fmt(s.warmup()))
        .append(" s warm-up + ").append(fmt(s.measure())).append(" s measure per phase). Load average at start ")
        .append(env.get("loadavg_start")).append(", at end ").append(env.get("loadavg_end")).append(".\n");
    if (env.containsKey("peer_stack")) {
      md.append("Peer stack: ").append(env.get("peer_stack")).append(".\n");
    }
    md.append('\n');
    for (Table t : tables) {
      System.out.println(t.text());
      md.append(t.markdown());
    }
    System.out.printf(Locale.ROOT, "load average: start %s, end %s%n", env.get("loadavg_start"), env.get("loadavg_end"));
    return md.toString();
  }

  /** The CPU groups that used anything in some phase, in the standard order. */
  @SuppressWarnings("unchecked")
  private static List<String> cpuColumns(List<Map<String, Object>> rows) {
    List<String> out = new ArrayList<>();
    for (String g : CpuMeter.ALL) {
      boolean used = g.equals("total") || rows.stream().anyMatch(r -> r.values().stream()
          .filter(v -> v instanceof Map).map(v -> (Map<String, Object>) v)
          .anyMatch(m -> m.get(g) instanceof Number n && n.doubleValue() > 0));
      if (used) {
        out.add(g);
      }
    }
    return out;
  }

  private static Table cpuTable(String title, List<String> groups) {
    List<String> headers = new ArrayList<>();
    headers.add("row");
    headers.addAll(groups);
    return new Table(title, headers.toArray(String[]::new));
  }

  private static void cpuRow(Table t, String label, Map<String, Object> cpu, List<String> groups, String fmt) {
    List<Object> cells = new ArrayList<>();
    cells.add(label);
    for (String g : groups) {
      double v = cpu.get(g) instanceof Number n ? n.doubleValue() : 0;
      cells.add(v == 0 && !g.equals("total") ? "0" : String.format(Locale.ROOT, fmt, v));
    }
    t.row(cells.toArray());
  }

  private static String bytes(long b) {
    double a = Math.abs(b);
    if (a >= 10 * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", b / 1048576.0);
    }
    if (a >= 10 * 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
    }
    return b + " B";
  }

  private static String f0(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(Double v) {
    return v == null ? null : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
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

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }
}
