package io.mcptunnel.bench;

import io.mcptunnel.caller.EdgeSession;
import io.mcptunnel.connector.ConnectorMetrics;
import io.mcptunnel.connector.EdgeConnection;
import io.mcptunnel.proxy.tls.SslContexts;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Memory of an idle connector and per idle connection at the edge, measured on <b>child JVMs</b>
 * started with the CLI exactly as an operator runs them ({@code mcptunnel edge run --config ...},
 * {@code mcptunnel connector run ...}), so nothing of the bench's own JVM (clients, proxy,
 * buffers) is counted:
 *
 * <ul>
 *   <li><b>live heap</b>: {@code jcmd PID GC.class_histogram} forces a full GC and sums the live
 *       objects; precise, but blind to native memory (BoringSSL's per-connection state, Netty's
 *       direct buffers, thread stacks);
 *   <li><b>RSS</b>: {@code VmRSS} from {@code /proc/PID/status} after that GC; includes native
 *       memory, but also heap pages the collector happens to have touched, so it is the noisier one.
 * </ul>
 *
 * Per-connection figures are deltas over N connections opened from this JVM, divided by N: idle
 * caller connections (TLS + HTTP/2, no stream), then one idle tunnel stream on each of the first k
 * (an inner TLS session to the proxy, also costing the connector its stream and its WebSocket to the
 * proxy), then idle connector connections (TLS 1.3, registered, HTTP/2 reversed). k is at most 90 per
 * connector connection: the connector, as HTTP/2 server, advertises Netty's default of 100
 * concurrent streams per connection, so a tunnel with its default 4 connections carries at most 400
 * streams at once, and the 401st is refused. With the peer stack, the same
 * is done for N idle connections through stunnel (RSS of each process; stunnel and nginx are C).
 */
final class MemoryProbe {
  private final Path dir;
  private final FullPath full;
  private final EventLoopGroup clients;
  private final InetSocketAddress proxy;
  private final int n;
  private final List<String> jvmOptions;
  /** Stays below the 100 concurrent streams a connector connection accepts (see the class comment). */
  static final int MAX_STREAMS_PER_CONNECTION = 90;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> children = new ArrayList<>();

  MemoryProbe(Path dir, FullPath full, EventLoopGroup clients, InetSocketAddress proxy, int n, List<String> jvmOptions) {
    this.dir = dir;
    this.full = full;
    this.clients = clients;
    this.proxy = proxy;
    this.n = n;
    this.jvmOptions = jvmOptions;
  }

  /** What is measured, per row: what, live heap bytes, RSS bytes. */
  record Row(String what, String unit, long heapBytes, long rssBytes) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("what", what);
      m.put("unit", unit);
      m.put("live_heap_bytes", heapBytes);
      m.put("rss_bytes", rssBytes);
      return m;
    }
  }

  record Mem(long heap, long rss) {
    Mem minus(Mem o) {
      return new Mem(heap - o.heap, rss - o.rss);
    }
  }

  List<Row> run(PeerStack peer) throws Exception {
    List<Row> rows = new ArrayList<>();
    int connectorListen = PeerStack.freePort();
    int callerListen = PeerStack.freePort();
    int edgeAdmin = PeerStack.freePort();
    Path edgeYaml = dir.resolve("edge-child.yaml");
    FullPath.write(edgeYaml, full.edgeYaml("127.0.0.1:" + connectorListen, "127.0.0.1:" + callerListen,
        "127.0.0.1:" + edgeAdmin));
    try {
      Process edge = child("edge", List.of("edge", "run", "--config", edgeYaml.toString()), Map.of());
      awaitHttp(edgeAdmin, "/readyz", body -> true, edge);
      Process connector = child("connector", List.of("connector", "run",
          "--url", "http://127.0.0.1:" + proxy.getPort(),
          "--edge", "127.0.0.1:" + connectorListen,
          "--edge-ca", full.edgeCaFile.toString(), "--edge-name", FullPath.EDGE_NAME,
          "--admin", "127.0.0.1:" + PeerStack.freePort(),
          "--grace-period", "1s", "--log-level", "warn"), Map.of("TUNNEL_TOKEN", full.token.encode()));
      awaitHttp(edgeAdmin, "/metrics", body -> connectorConnections(body) >= FullPath.HA_CONNECTIONS, connector);
      // Let start-up work (JIT, first GCs, connection set-up) settle; attach once first so the
      // target's attach listener thread is part of every later sample.
      Thread.sleep(500);
      jcmd(edge.pid(), "VM.version");
      jcmd(connector.pid(), "VM.version");

      Bench.progress("memory: idle connector and edge");
      Mem connectorIdle = measure(connector.pid());
      rows.add(new Row("idle connector (" + FullPath.HA_CONNECTIONS + " edge connections), whole process", "process",
          connectorIdle.heap(), connectorIdle.rss()));
      Mem edgeBase = measure(edge.pid());
      rows.add(new Row("edge with the connector's " + FullPath.HA_CONNECTIONS + " connections, whole process",
          "process", edgeBase.heap(), edgeBase.rss()));

      // Idle caller connections: TLS + HTTP/2, no stream.
      Bench.progress("memory: " + n + " idle caller connections at the edge");
      InetSocketAddress callerAddress = new InetSocketAddress("127.0.0.1", callerListen);
      List<EdgeSession> sessions = openAll(n, () -> CompletableFuture.supplyAsync(() -> {
        try {
          return full.connectSession(clients, callerAddress);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
      Mem edgeCallers = settleAndMeasure(edge.pid());
      rows.add(perConnection("edge, per idle caller connection (TLS 1.3 + HTTP/2, no stream)", edgeCallers.minus(edgeBase)));

      // One idle tunnel stream with an established inner TLS session on each of the first k caller
      // connections. k stays under what the tunnel can carry at once: every connector connection
      // takes at most 100 concurrent streams (Netty's default SETTINGS_MAX_CONCURRENT_STREAMS).
      int k = Math.min(n, MAX_STREAMS_PER_CONNECTION * FullPath.HA_CONNECTIONS);
      Bench.progress("memory: " + k + " idle tunnel streams");
      Mem connectorBefore = measure(connector.pid());
      io.netty.handler.ssl.SslContext inner = full.innerTls();
      List<TunnelConn> streams = openAll(k, new Supplier<>() {
        int i;

        @Override
        public CompletableFuture<TunnelConn> get() {
          return FullPath.openAsync(sessions.get(i++), inner);
        }
      });
      Mem edgeStreams = settleAndMeasure(edge.pid());
      Mem connectorStreams = measure(connector.pid());
      rows.add(perConnection("edge, per idle tunnel stream on a caller connection (inner TLS up, no request)",
          edgeStreams.minus(edgeCallers), k));
      rows.add(perConnection("connector, per idle tunnel stream (HTTP/2 stream + WebSocket to the proxy)",
          connectorStreams.minus(connectorBefore), k));
      streams.forEach(TunnelConn::close);
      sessions.forEach(EdgeSession::close);
      Thread.sleep(500);

      // Idle connector connections: registered with the token, HTTP/2 reversed, no stream.
      Bench.progress("memory: " + n + " idle connector connections at the edge");
      Mem edgeBefore = settleAndMeasure(edge.pid());
      SslContext connectorTls = connectorTls();
      ConnectorMetrics metrics = new ConnectorMetrics(new SimpleMeterRegistry());
      InetSocketAddress connectorAddress = new InetSocketAddress("127.0.0.1", connectorListen);
      List<EdgeConnection> connections = openAll(n, () -> EdgeConnection.connect(clients, connectorAddress,
          FullPath.EDGE_NAME, connectorTls, full.token.encode(), full.origin, metrics));
      Mem edgeConnectors = settleAndMeasure(edge.pid());
      rows.add(perConnection("edge, per idle connector connection (TLS 1.3, registered, HTTP/2)",
          edgeConnectors.minus(edgeBefore)));
      connections.forEach(c -> c.channel().close());
    } finally {
      for (Process p : children) {
        p.destroy();
      }
      for (Process p : children) {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    if (peer != null) {
      rows.addAll(peer(peer));
    }
    return rows;
  }

  /** N idle TCP connections through the peer stack: each is a TLS connection between the stunnels and one to nginx. */
  private List<Row> peer(PeerStack peer) throws Exception {
    Bench.progress("memory: " + n + " idle connections through the peer stack");
    Map<String, List<Long>> pids = new LinkedHashMap<>();
    pids.put("stunnel server", List.of(peer.stunnelServerPid()));
    pids.put("stunnel client", List.of(peer.stunnelClientPid()));
    pids.put("nginx (master + workers)", peer.nginxPids());
    Map<String, Long> before = new LinkedHashMap<>();
    pids.forEach((k, v) -> before.put(k, rss(v)));
    long establishedBefore = established(peer);
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", peer.clientPort), 5000);
        sockets.add(s);
      }
      // Every connection must have reached nginx through both stunnels before measuring.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (established(peer) < establishedBefore + n && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      if (established(peer) < establishedBefore + n) {
        throw new IllegalStateException("only " + (established(peer) - establishedBefore) + " of " + n
            + " idle connections reached nginx through the stunnels within 20 s");
      }
      Thread.sleep(500);
      List<Row> rows = new ArrayList<>();
      for (var e : pids.entrySet()) {
        long delta = rss(e.getValue()) - before.get(e.getKey());
        rows.add(new Row("peer: " + e.getKey() + ", per idle connection through the stack [" + n + "]", "connection",
            -1, Math.round(delta / (double) n)));
      }
      return rows;
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /** Established TCP connections to nginx's port, from /proc/net/tcp (the stack's last hop). */
  private static long established(PeerStack peer) {
    String port = String.format(":%04X", peer.nginxPort);
    try {
      return Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1)
          .map(l -> l.trim().split("\\s+"))
          .filter(f -> f.length > 3 && f[1].endsWith(port) && f[3].equals("01"))
          .count();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private Row perConnection(String what, Mem delta) {
    return perConnection(what, delta, n);
  }

  private static Row perConnection(String what, Mem delta, int count) {
    return new Row(what + " [" + count + "]", "connection", Math.round(delta.heap() / (double) count),
        Math.round(delta.rss() / (double) count));
  }

  private SslContext connectorTls() throws Exception {
    return SslContextBuilder.forClient().sslProvider(SslContexts.provider())
        .trustManager(full.edgeCaFile.toFile())
        .protocols("TLSv1.3")
        .endpointIdentificationAlgorithm("HTTPS")
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, TunnelProtocol.ALPN))
        .build();
  }

  /** Opens {@code count} things, at most 32 at a time; fails on the first failure. */
  private static <T> List<T> openAll(int count, Supplier<CompletableFuture<T>> open) throws Exception {
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<T>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      CompletableFuture<T> f = open.get();
      f.whenComplete((v, e) -> inFlight.release());
      all.add(f);
    }
    List<T> out = new ArrayList<>();
    for (CompletableFuture<T> f : all) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }

  private Mem settleAndMeasure(long pid) throws Exception {
    Thread.sleep(500);
    return measure(pid);
  }

  /** Live heap after a full GC (class histogram) and RSS right after it. */
  static Mem measure(long pid) throws IOException, InterruptedException {
    String histogram = jcmd(pid, "GC.class_histogram");
    long heap = -1;
    for (String line : histogram.split("\n")) {
      String t = line.trim();
      if (t.startsWith("Total")) {
        String[] f = t.split("\\s+");
        heap = Long.parseLong(f[2]);
      }
    }
    if (heap < 0) {
      throw new IllegalStateException("jcmd " + pid + " GC.class_histogram: no Total line in its output");
    }
    return new Mem(heap, rss(List.of(pid)));
  }

  /** Summed VmRSS of the processes, in bytes. */
  static long rss(List<Long> pids) {
    long sum = 0;
    for (long pid : pids) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            sum += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        // gone: counts as 0
      }
    }
    return sum;
  }

  /**
   * Runs a diagnostic command in the JVM {@code pid}, as {@code jcmd PID COMMAND} does: through the
   * attach API in this JVM when {@code bench/run} exported {@code sun.tools.attach} to it (no jcmd
   * JVM to start each time), else by running {@code jcmd}.
   */
  static String jcmd(long pid, String command) throws IOException, InterruptedException {
    try {
      Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
      Object vm = vmClass.getMethod("attach", String.class).invoke(null, Long.toString(pid));
      try {
        java.lang.reflect.Method exec = Class.forName("sun.tools.attach.HotSpotVirtualMachine")
            .getMethod("executeJCmd", String.class);
        try (java.io.InputStream in = (java.io.InputStream) exec.invoke(vm, command)) {
          // Read to the end as jcmd does, in small reads (readAllBytes stops after the first 4 KiB).
          java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
          byte[] buf = new byte[8192];
          for (int r; (r = in.read(buf)) != -1; ) {
            out.write(buf, 0, r);
          }
          return out.toString(StandardCharsets.UTF_8);
        }
      } finally {
        vmClass.getMethod("detach").invoke(vm);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not exported to us, or no attach API: the jcmd tool does the same
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out.lines().limit(5).toList());
    }
    return out;
  }

  /**
   * The launcher's class path, {@code cli/target/mcptunnel/lib/*} (built by {@code bench/run}'s
   * {@code mvn verify -pl bench -am}); {@code -Dbench.cli-lib=DIR} points elsewhere.
   */
  static String childClassPath() {
    Path dist = Path.of(System.getProperty("bench.cli-lib", "cli/target/mcptunnel/lib"));
    if (!Files.isDirectory(dist)) {
      throw new IllegalStateException("the CLI distribution " + dist.toAbsolutePath() + " is missing: run bench/run "
          + "from the repository (its build makes it), or pass -Dbench.cli-lib=DIR, or --no-memory");
    }
    return dist.toAbsolutePath() + "/*";
  }

  private Process child(String name, List<String> args, Map<String, String> env) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(childClassPath());
    cmd.add("io.mcptunnel.cli.Main");
    cmd.addAll(args);
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + "-child.out").toFile());
    b.environment().remove("TUNNEL_TOKEN");
    b.environment().remove("JAVA_TOOL_OPTIONS");
    b.environment().putAll(env);
    Process p = b.start();
    children.add(p);
    return p;
  }

  private void awaitHttp(int port, String path, Function<String, Boolean> ok, Process watched) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!watched.isAlive()) {
        throw new IllegalStateException("child " + watched.info().commandLine().orElse("process") + " exited with "
            + watched.exitValue() + "; see " + dir + "/*-child.out");
      }
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && ok.apply(r.body())) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("timed out waiting for http://127.0.0.1:" + port + path + "; see " + dir);
  }

  /** {@code mcptunnel_edge_connector_connections{tunnel="tnl_bench"} 4.0} → 4. */
  static int connectorConnections(String metrics) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith("mcptunnel_edge_connector_connections{") && line.contains(FullPath.TUNNEL_ID)) {
        return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}
