package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.CallerTls;
import io.mcptunnel.caller.ControlPlaneTunnelCas;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.setup.DirectoryOutput;
import io.mcptunnel.setup.RotateCa;
import io.mcptunnel.setup.TunnelPki;
import io.mcptunnel.testing.MutableClock;
import io.mcptunnel.testing.TestPki;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server certificate's life cycle under load, all in-process on loopback: a control plane, an
 * edge following it, {@code setup init} into a directory, a proxy serving that directory's
 * {@code tls.crt}/{@code tls.key} (polled every 200 ms), a connector with its tunnel token, a sample
 * MCP server and a caller gateway taking the tunnel's CAs from the control plane. Workers call a
 * tool through the gateway without pause, some with a fresh MCP client per call, some reusing one,
 * while {@code renew-cert} and {@code rotate-ca} run; not one call may fail.
 */
class CertificateLifecycleIT extends SetupItSupport {
  static final Duration POLL = Duration.ofMillis(200);
  static final int WORKERS = 6;

  String tunnelId;
  String domain;
  String host;
  ProxyServer proxy;
  EdgeServer edge;
  Connector connector;
  TunnelCaller caller;
  CallerGateway gateway;
  SampleMcpServer mcp;
  Load load;

  @BeforeEach
  void startStack() throws Exception {
    CliRun init = setup("init", "--output", out());
    assertThat(init.exit()).as(init.err()).isZero();
    Map<String, String> files = files();
    tunnelId = files.get("tunnel-id").trim();
    domain = files.get("tunnel-domain").trim();
    host = "mcp." + domain;

    TestPki edgePki = TestPki.create("edge CA");
    Path edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Path edgeCredential = cp.internalClient("edge-" + suffix, "edge", null, dir.resolve("edge.credential"));
    Path callerCredential = cp.internalClient("backend-" + suffix, "caller", tenant.organization(),
        dir.resolve("caller.credential"));
    mcp = SampleMcpServer.start("127.0.0.1");
    Path output = dir.resolve("out");
    proxy = ProxyServer.start(ProxyConfigParser.parse(TunnelParts.write(dir, "proxy.yaml", """
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        routes:
          mcp: %s
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(domain, output.resolve("tls.crt"), output.resolve("tls.key"), mcp.url()))),
        ProxyServer.Options.defaults().withCertPollInterval(POLL));
    edge = TunnelParts.edge(dir, "edge", edgePki, cp.base, edgeCredential, tenant.organization());
    connector = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, files.get("tunnel-token").trim(),
        proxy, 2);
    await().atMost(Duration.ofSeconds(20)).until(() -> connector.liveConnections() == 2);
    caller = TunnelCaller.start(new CallerSettings(List.of(new HostPort("localhost", edge.callerAddress().getPort())),
        CallerTls.edgeClient(Optional.of(edgeCa), Optional.empty(), Optional.empty()), TunnelParts.CALLER_KEY,
        ControlPlaneTunnelCas.create(cp.base, Files.readString(callerCredential), Optional.empty(), Clock.systemUTC()),
        2));
    gateway = CallerGateway.start(caller, new InetSocketAddress("127.0.0.1", 0));
    // The edge learns the tunnel (and its CA) from the control plane within a second.
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
        .until(() -> ControlPlaneEndToEndIT.echo(gateway, host, "ready").equals("ready"));
  }

  @AfterEach
  void stopStack() throws Exception {
    if (load != null) {
      load.stop();
    }
    if (gateway != null) {
      gateway.close(Duration.ZERO);
    }
    if (caller != null) {
      caller.close();
    }
    if (connector != null) {
      connector.close();
    }
    if (edge != null) {
      edge.close();
    }
    if (proxy != null) {
      proxy.shutdown();
    }
    if (mcp != null) {
      mcp.close();
    }
  }

  @Test
  void renewCertIsPickedUpByTheProxyWithoutRestartWhileCallsGoOn() throws Exception {
    load = new Load(gateway, host);
    load.awaitSuccesses(50);

    Map<String, String> before = files();
    CliRun early = setup("renew-cert", "--output", out());
    assertThat(early.exit()).as(early.err()).isZero();
    assertThat(early.out()).contains("nothing to do");
    assertThat(files()).isEqualTo(before);

    X509Certificate oldCert = cert("tls.crt");
    double reloads = reloads();
    long start = System.nanoTime();
    CliRun renew = setup("renew-cert", "--output", out(), "--renew-before", "2200h");
    assertThat(renew.exit()).as(renew.err()).isZero();
    assertThat(renew.out()).contains("renewed server certificate");
    long written = System.nanoTime();
    X509Certificate newCert = cert("tls.crt");
    assertThat(newCert.getSerialNumber()).isNotEqualTo(oldCert.getSerialNumber());

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> reloads() > reloads);
    double renewMs = (written - start) / 1e6;
    double reloadMs = (System.nanoTime() - written) / 1e6;
    long atReload = load.successes.get();
    // A fresh inner TLS handshake now sees the new certificate.
    await().atMost(Duration.ofSeconds(10)).until(() -> served().getSerialNumber().equals(newCert.getSerialNumber()));
    load.awaitSuccesses(atReload + 50);
    load.stop();

    long after = load.successes.get() - atReload;
    System.out.printf("renew-cert under load: %d calls (%d fresh-client, %d reused-client), %d failed; renew-cert took"
            + " %.0f ms (RSA-4096 key), the proxy reloaded %.0f ms after it wrote; %d calls after the reload;"
            + " load ran %.1f s%n",
        load.successes.get() + load.failures.get(), load.freshCalls.get(), load.reusedCalls.get(), load.failures.get(),
        renewMs, reloadMs, after, load.seconds());
    assertThat(load.failures.get()).as("failed calls, first ones: %s", load.firstFailures).isZero();
    assertThat(after).isPositive();
  }

  @Test
  void rotateCaWithTrafficFlowingFailsNoCall() throws Exception {
    SetupRotateCaCommand.sleeper = RotateCa.Sleeper.REAL;
    X509Certificate oldCa = cert("ca.crt");
    load = new Load(gateway, host);
    load.awaitSuccesses(50);

    long beforeRotation = load.successes.get();
    long start = System.nanoTime();
    CliRun rotate = setup("rotate-ca", "--output", out(), "--trust-wait", "6s", "--switch-wait", "2s");
    double rotateSeconds = (System.nanoTime() - start) / 1e9;
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    assertThat(rotate.out()).contains("waiting 6s for callers to trust the new CA",
        "waiting 2s for proxies to serve the new certificate before archiving the old CA", "archived old CA");
    X509Certificate newCa = cert("ca.crt");
    assertThat(Fingerprints.sha256Hex(newCa)).isNotEqualTo(Fingerprints.sha256Hex(oldCa));
    assertThat(active(tunnelId)).singleElement()
        .satisfies(c -> assertThat(c.get("fingerprint").asText()).isEqualTo(Fingerprints.sha256Hex(newCa)));
    long duringRotation = load.successes.get() - beforeRotation;

    // Once the callers' CA lists refresh (5 s), new sessions are verified against the new CA alone.
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
      Channel session = caller.openSession(host).get(10, TimeUnit.SECONDS);
      try {
        return TunnelCaller.verifiedAgainst(session, List.of(newCa));
      } finally {
        session.close();
      }
    });
    X509Certificate served = served();
    served.verify(newCa.getPublicKey());
    long atNewCaOnly = load.successes.get();
    load.awaitSuccesses(atNewCaOnly + 50);
    load.stop();

    System.out.printf("rotate-ca under load: %d calls (%d fresh-client, %d reused-client), %d failed; rotate-ca took"
            + " %.1f s (%d calls during it); %d calls after sessions were verified against the new CA only;"
            + " load ran %.1f s%n",
        load.successes.get() + load.failures.get(), load.freshCalls.get(), load.reusedCalls.get(), load.failures.get(),
        rotateSeconds, duringRotation, load.successes.get() - atNewCaOnly, load.seconds());
    assertThat(load.failures.get()).as("failed calls, first ones: %s", load.firstFailures).isZero();
    assertThat(load.successes.get()).isGreaterThan(atNewCaOnly);
  }

  /**
   * The caller's own safety net, without any trust wait: its CA list (cached, only the old CA) is
   * outdated when the proxy switches to a certificate of a CA registered a moment ago. The refused
   * handshake makes it ask the control plane again and open the session once more. The caller's
   * clock stands still, so its cache would otherwise never expire.
   */
  @Test
  void aSessionRefusedAgainstAnOutdatedCachedCaListIsRetriedWithFreshCas() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    ControlPlaneTunnelCas cas = ControlPlaneTunnelCas.create(cp.base,
        Files.readString(dir.resolve("caller.credential")), Optional.empty(), clock);
    try (TunnelCaller frozen = TunnelCaller.start(new CallerSettings(
        List.of(new HostPort("localhost", edge.callerAddress().getPort())),
        CallerTls.edgeClient(Optional.of(dir.resolve("edge-ca.pem")), Optional.empty(), Optional.empty()),
        TunnelParts.CALLER_KEY, cas, 1))) {
      X509Certificate oldCa = cert("ca.crt");
      frozen.openSession(host).get(10, TimeUnit.SECONDS).close(); // caches [old CA]

      IssuedCertificate newCa = TunnelPki.newCa(domain);
      cp.api("POST", "/v1/tunnels/" + tunnelId + "/certificates", tenant, ControlPlaneFixture.JSON.createObjectNode()
          .put("ca_certificate_pem", PemFiles.toPem(newCa.certificate())).toString());
      DirectoryOutput output = new DirectoryOutput(dir.resolve("out"));
      Map<String, String> entries = new LinkedHashMap<>(output.read());
      entries.putAll(TunnelPki.serverCertificate(newCa, domain, Duration.ofDays(1)));
      double reloads = reloads();
      output.write(entries);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> reloads() > reloads);
      clock.advance(ControlPlaneTunnelCas.REFUSAL_REFRESH_AFTER);

      Channel session = frozen.openSession(host).get(10, TimeUnit.SECONDS);
      try {
        X509Certificate served = (X509Certificate) session.pipeline().get(SslHandler.class).engine().getSession()
            .getPeerCertificates()[0];
        served.verify(newCa.certificate().getPublicKey());
        assertThat(TunnelCaller.verifiedAgainst(session, List.of(oldCa, newCa.certificate()))
            || TunnelCaller.verifiedAgainst(session, List.of(newCa.certificate(), oldCa))).isTrue();
      } finally {
        session.close();
      }
    }
  }

  double reloads() {
    return proxy.registry().counter("mcptunnel.proxy.certificate.reloads").count();
  }

  /** The certificate the proxy serves to a new inner TLS session. */
  X509Certificate served() throws Exception {
    Channel session = caller.openSession(host).get(10, TimeUnit.SECONDS);
    try {
      return (X509Certificate) session.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates()[0];
    } finally {
      session.close();
    }
  }

  X509Certificate cert(String name) {
    return PemFiles.parseCertificates(read(dir.resolve("out").resolve(name)), name).get(0);
  }

  /** Workers calling the echo tool through the gateway until stopped; even ones with a fresh client each call. */
  static final class Load {
    final AtomicLong successes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong freshCalls = new AtomicLong();
    final AtomicLong reusedCalls = new AtomicLong();
    final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Thread> threads = new ArrayList<>();
    final long started = System.nanoTime();
    volatile long stoppedAt;
    final CallerGateway gateway;
    final String host;

    Load(CallerGateway gateway, String host) {
      this.gateway = gateway;
      this.host = host;
      for (int i = 0; i < WORKERS; i++) {
        int worker = i;
        Thread t = new Thread(() -> run(worker), "load-" + i);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    void run(int worker) {
      boolean fresh = worker % 2 == 0;
      McpSyncClient reused = null;
      for (long n = 0; running.get(); n++) {
        String message = "w" + worker + "-" + n;
        McpSyncClient client = null;
        try {
          if (fresh) {
            client = client();
            client.initialize();
          } else {
            if (reused == null) {
              reused = client();
              reused.initialize();
            }
            client = reused;
          }
          McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message)));
          String text = ((McpSchema.TextContent) r.content().get(0)).text();
          if (!message.equals(text)) {
            throw new IllegalStateException("echo answered " + text + " to " + message);
          }
          successes.incrementAndGet();
          (fresh ? freshCalls : reusedCalls).incrementAndGet();
        } catch (RuntimeException e) {
          if (!running.get()) {
            break; // stopping: a call cut short by the shutdown does not count
          }
          failures.incrementAndGet();
          if (firstFailures.size() < 5) {
            firstFailures.add(message + ": " + e);
          }
          if (!fresh && reused != null) {
            reused.close();
            reused = null;
          }
        } finally {
          if (fresh && client != null) {
            client.close();
          }
        }
      }
      if (reused != null) {
        reused.close();
      }
    }

    McpSyncClient client() {
      var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gateway.address().getPort())
          .endpoint("/" + host + "/mcp").build();
      return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
    }

    void awaitSuccesses(long count) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> successes.get() >= count || failures.get() > 0);
    }

    void stop() throws InterruptedException {
      if (running.compareAndSet(true, false)) {
        stoppedAt = System.nanoTime();
        for (Thread t : threads) {
          t.join(15_000);
        }
      }
    }

    double seconds() {
      return ((stoppedAt == 0 ? System.nanoTime() : stoppedAt) - started) / 1e9;
    }
  }
}
