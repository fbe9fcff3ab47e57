package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.CallerTls;
import io.mcptunnel.caller.ControlPlaneTunnelCas;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.TestPki;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code mcptunnel incident} on a running stack: a control plane, an edge following it, a proxy and
 * a connector as child processes started with {@code --pid-file}, a second connector replica in
 * this JVM (the live connections the archive must sever) and an MCP client mid-session.
 */
class IncidentIT extends SetupItSupport {

  @Test
  void stopsArchivesCollectsAndReprovisionsAndARerunIsIdempotent() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    String id = files().get("tunnel-id").trim();
    String domain = files().get("tunnel-domain").trim();
    String tunnelToken = files().get("tunnel-token").trim();
    Path outDir = dir.resolve("out");
    TestPki edgePki = TestPki.create("edge CA");
    Path edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
    Path adminToken = shared.resolve("cp").resolve("admin.token");

    try (SampleMcpServer mcp = SampleMcpServer.start("127.0.0.1");
        EdgeServer edge = TunnelParts.edge(dir, "edge", edgePki, cp.base,
            cp.internalClient("edge-incident", "edge", null, dir.resolve("edge.credential")), tenant.organization())) {
      Path proxyConfig = proxyConfig("proxy.yaml", domain, mcp.url());
      ProxyServer proxy = ProxyServer.start(ProxyConfigParser.parse(proxyConfig), ProxyServer.Options.defaults());
      Process proxyChild = null;
      Process connectorChild = null;
      Connector replica = null;
      TunnelCaller caller = null;
      CallerGateway gateway = null;
      try {
        proxyChild = mcptunnel("proxy-child.log", "proxy", "run", "--config",
            proxyConfig("proxy-child.yaml", domain, mcp.url()).toString(), "--pid-file", dir.resolve("proxy.pid").toString());
        connectorChild = mcptunnel("connector.log", "connector", "run",
            "--url", "http://127.0.0.1:" + proxy.listenAddress().getPort(),
            "--edge", "localhost:" + edge.connectorAddress().getPort(), "--edge-ca", edgeCa.toString(),
            "--edge-name", TunnelParts.EDGE_NAME, "--token-file", outDir.resolve("tunnel-token").toString(),
            "--ha-connections", "1", "--admin", "127.0.0.1:" + freePort(), "--grace-period", "5s",
            "--pid-file", dir.resolve("connector.pid").toString());
        replica = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, tunnelToken, proxy, 2);
        try {
          await().atMost(Duration.ofSeconds(120)).until(() -> edge.sessions().count(id) == 3
              && Files.exists(dir.resolve("proxy.pid")) && Files.size(dir.resolve("proxy-child.log")) > 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("sessions " + edge.sessions().count(id) + "; proxy child: "
              + Files.readString(dir.resolve("proxy-child.log")) + "; connector child: "
              + Files.readString(dir.resolve("connector.log")), e);
        }
        long proxyPid = proxyChild.pid();
        long connectorPid = connectorChild.pid();
        assertThat(Files.readString(dir.resolve("proxy.pid")).trim()).isEqualTo(Long.toString(proxyPid));
        assertThat(Files.readString(dir.resolve("connector.pid")).trim()).isEqualTo(Long.toString(connectorPid));

        caller = TunnelCaller.start(new CallerSettings(List.of(new HostPort("localhost", edge.callerAddress().getPort())),
            CallerTls.edgeClient(Optional.of(edgeCa), Optional.empty(), Optional.empty()), TunnelParts.CALLER_KEY,
            ControlPlaneTunnelCas.create(cp.base, Files.readString(cp.internalClient("backend-incident", "caller",
                tenant.organization(), dir.resolve("caller.credential"))), Optional.empty(), Clock.systemUTC()), 2));
        gateway = CallerGateway.start(caller, new InetSocketAddress("127.0.0.1", 0));
        McpSyncClient session = mcpClient(gateway, "mcp." + domain);
        session.initialize();
        assertThat(echo(session, "before the incident")).isEqualTo("before the incident");

        Instant now = Instant.now();
        Files.writeString(dir.resolve("mcp-server.log"), String.join("\n",
            now.minus(Duration.ofHours(3)) + " INFO before the window",
            now.minus(Duration.ofMinutes(10)) + " WARN token request Authorization: Bearer " + tenant.accessToken(),
            now.minus(Duration.ofMinutes(9)) + " ERROR dumped " + tunnelToken + " and " + identityToken,
            files().get("ca.key").trim(),
            now.minus(Duration.ofMinutes(8)) + " ERROR failure",
            "\tat Server.java:1",
            now.plus(Duration.ofHours(1)) + " INFO after the window") + "\n");

        AtomicReference<Instant> severed = new AtomicReference<>();
        Thread watcher = new Thread(() -> {
          while (severed.get() == null && !Thread.currentThread().isInterrupted()) {
            if (edge.sessions().count(id) == 0) {
              severed.set(Instant.now());
            }
            Thread.onSpinWait();
          }
        });
        watcher.setDaemon(true);
        watcher.start();

        Path evidence = dir.resolve("evidence");
        CliRun run = incident("--output", out(), "--since", "1h", "--evidence", evidence.toString(),
            "--pid-file", dir.resolve("proxy.pid").toString(), "--pid-file", dir.resolve("connector.pid").toString(),
            "--log", "mcp-server=" + dir.resolve("mcp-server.log"), "--log", "connector=" + dir.resolve("connector.log"),
            "--config", proxyConfig.toString(), "--admin-url", cp.base.toString(), "--admin-token-file",
            adminToken.toString());

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.subList(0, 3)).containsExactly(
            "[1/7] stop " + dir.resolve("proxy.pid") + ": stopped pid " + proxyPid + " (proxy)",
            "[2/7] stop " + dir.resolve("connector.pid") + ": stopped pid " + connectorPid + " (connector)",
            "[3/7] archive tunnel " + id + ": archived (its token is invalid; edges sever its connections)");
        assertThat(lines.get(3)).matches("\\[4/7] collect mcp-server log: logs/mcp-server.log: 8 of 10 lines in the"
            + " window, \\d+ secrets redacted");
        assertThat(lines.get(4)).startsWith("[5/7] collect connector log: logs/connector.log: ");
        assertThat(lines.get(5)).startsWith("[6/7] collect control-plane audit log: audit/audit-log.jsonl: ");
        assertThat(lines.get(6)).isEqualTo("[7/7] write report and manifest: " + evidence + " (5 files + MANIFEST.sha256;"
            + " check with `cd " + evidence + " && sha256sum -c MANIFEST.sha256`)");
        assertThat(lines).contains("Rotate downstream (1 routes):",
            "  mcp (https://mcp." + domain + " -> " + mcp.url().replaceAll("/+$", "") + "): revoke/rotate OAuth tokens"
                + " issued for https://mcp." + domain + " by this server's authorization server; rotate its client"
                + " secrets",
            "Evidence: " + evidence);
        assertThat(lines).last().isEqualTo("incident: 7 steps: 7 done, 0 already done, 0 skipped, 0 failed");

        // The stack is gone, the tunnel archived, and the edge cut the replica's connections at once.
        assertThat(proxyChild.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(connectorChild.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(dir.resolve("proxy.pid")).doesNotExist();
        assertThat(dir.resolve("connector.pid")).doesNotExist();
        String archivedAt = cp.api("GET", "/v1/tunnels/" + id, tenant, null).get("archived_at").asText();
        await().atMost(Duration.ofSeconds(5)).until(() -> severed.get() != null);
        Duration severance = Duration.between(Instant.parse(archivedAt), severed.get());
        System.out.printf("edge connections severed %d ms after archived_at%n", severance.toMillis());
        assertThat(severance).isLessThan(Duration.ofSeconds(1));
        assertThat(replica.liveConnections()).isZero();
        assertThatThrownBy(() -> echo(session, "after the incident")).isInstanceOf(RuntimeException.class);
        try {
          session.close();
        } catch (RuntimeException sdkAfterAFailedSession) {
          // the SDK may have dropped the session object already; nothing left to close
        }

        // The bundle: every file, hashes right, window applied, no secret anywhere.
        assertThat(filesUnder(evidence)).containsExactly("MANIFEST.sha256", "audit/audit-log.jsonl",
            "logs/connector.log", "logs/mcp-server.log", "report.json", "report.txt");
        Process check = new ProcessBuilder("/usr/bin/sha256sum", "-c", "MANIFEST.sha256").directory(evidence.toFile())
            .redirectErrorStream(true).start();
        String checked = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(checked).isZero();
        assertThat(checked.lines()).hasSize(5).allMatch(l -> l.endsWith(": OK"));
        String mcpLog = Files.readString(evidence.resolve("logs/mcp-server.log"));
        assertThat(mcpLog).contains("WARN token request Authorization: Bearer [REDACTED]", "ERROR failure",
            "\tat Server.java:1").doesNotContain("before the window", "after the window");
        assertThat(Files.readString(evidence.resolve("audit/audit-log.jsonl"))).contains("\"action\":\"tunnel.create\"");
        assertThat(Files.readString(evidence.resolve("logs/connector.log"))).isNotEmpty();
        assertThat(Files.readString(evidence.resolve("report.json"))).contains("\"tunnel_id\" : \"" + id + "\"",
            "\"public_url\" : \"https://mcp." + domain + "\"");
        assertNoSecretIn(evidence, adminToken);
        assertNoSecrets(run);

        // A re-run: nothing left to stop, already archived; the earlier bundle is never overwritten.
        CliRun again = incident("--output", out(), "--since", "1h", "--evidence", dir.resolve("evidence2").toString(),
            "--pid-file", dir.resolve("proxy.pid").toString(), "--config", proxyConfig.toString());
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains(
            "[1/4] stop " + dir.resolve("proxy.pid") + ": not running (no pid file)\n",
            "[2/4] archive tunnel " + id + ": already archived\n",
            "[3/4] collect control-plane audit log: skipped: pass --admin-url and --admin-token-file");
        assertThat(again.out()).endsWith("incident: 4 steps: 1 done, 2 already done, 1 skipped, 0 failed\n");
        CliRun sameFolder = incident("--output", out(), "--since", "1h", "--evidence", evidence.toString());
        assertThat(sameFolder.exit()).isEqualTo(1);
        assertThat(sameFolder.err()).isEqualTo("mcptunnel: --evidence " + evidence + " already holds files; evidence"
            + " is never overwritten: pass a new folder (or omit --evidence for a timestamped one)\n");

        // --reprovision: never into the compromised output, a new tunnel into a fresh one.
        CliRun sameOutput = incident("--output", out(), "--since", "1h", "--evidence", dir.resolve("e3").toString(),
            "--reprovision", "--new-output", out());
        assertThat(sameOutput.exit()).isEqualTo(1);
        assertThat(sameOutput.out()).contains("[3/4] reprovision into " + out()
            + ": FAILED: --new-output is the compromised output; pass a fresh one\n");
        CliRun fresh = incident("--output", out(), "--since", "1h", "--evidence", dir.resolve("e4").toString(),
            "--reprovision", "--new-output", "dir:" + dir.resolve("new"));
        assertThat(fresh.exit()).as(fresh.out() + fresh.err()).isZero();
        String newId = Files.readString(dir.resolve("new/tunnel-id")).trim();
        assertThat(newId).isNotEqualTo(id).startsWith("tnl_");
        assertThat(fresh.out()).contains("[3/4] reprovision into dir:" + dir.resolve("new") + ": new tunnel " + newId);
        assertThat(cp.api("GET", "/v1/tunnels/" + newId, tenant, null).get("archived_at").isNull()).isTrue();
      } finally {
        if (gateway != null) {
          gateway.close(Duration.ZERO);
        }
        if (caller != null) {
          caller.close();
        }
        if (replica != null) {
          replica.close();
        }
        for (Process p : new Process[] {proxyChild, connectorChild}) {
          if (p != null) {
            p.destroyForcibly();
          }
        }
        proxy.shutdown();
      }
    }
  }

  @Test
  void refusesToCopyFilesOfTheSetupOutputAndStillArchives() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    String id = files().get("tunnel-id").trim();

    CliRun run = incident("--output", out(), "--since", "2026-01-01T00:00:00Z", "--evidence",
        dir.resolve("ev").toString(), "--log", "token=" + dir.resolve("out/tunnel-token"));

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("[1/4] archive tunnel " + id + ": archived",
        "[2/4] collect token log: FAILED: refused to copy " + dir.resolve("out/tunnel-token")
            + ": it is in the setup output (credentials, not logs)\n");
    assertThat(dir.resolve("ev/logs/token.log")).doesNotExist();
    assertNoSecretIn(dir.resolve("ev"), null);
  }

  @Test
  void badWindowAndFlagsAreOneLine() {
    CliRun since = incident("--output", out(), "--since", "yesterday");
    assertThat(since.exit()).isEqualTo(1);
    assertThat(since.err()).isEqualTo("mcptunnel: --since: \"yesterday\" (expected an RFC 3339 time such as"
        + " 2026-05-01T10:00:00Z or a duration back from now such as 2h)\n");
    CliRun reprovision = incident("--output", out(), "--since", "1h", "--reprovision");
    assertThat(reprovision.exit()).isEqualTo(2);
    assertThat(reprovision.err()).startsWith("--reprovision needs --new-output dir:/PATH|k8s-secret:[NS/]NAME\n");
  }

  CliRun incident(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "incident";
    System.arraycopy(args, 0, full, 1, args.length);
    CliRun run = CliRun.of(full);
    assertNoSecrets(run);
    return run;
  }

  /** {@code mcptunnel ARGS} in a child JVM, stdout and stderr into {@code log} (as a service manager would). */
  Process mcptunnel(String log, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    File logFile = dir.resolve(log).toFile();
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(logFile).start();
  }

  Path proxyConfig(String name, String domain, String upstream) throws Exception {
    return Files.writeString(dir.resolve(name), """
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
        """.formatted(domain, dir.resolve("out/tls.crt"), dir.resolve("out/tls.key"), upstream));
  }

  /** Every byte of every file: no token, no key material, no identity, access or admin token. */
  void assertNoSecretIn(Path folder, Path adminToken) throws Exception {
    List<String> secrets = new ArrayList<>(List.of(files().get("tunnel-token").trim(), identityToken,
        tenant.accessToken(), "PRIVATE KEY"));
    if (adminToken != null) {
      secrets.add(Files.readString(adminToken).trim());
    }
    for (String key : List.of("ca.key", "tls.key")) {
      files().get(key).lines().filter(l -> l.length() > 20 && !l.startsWith("-----")).forEach(secrets::add);
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
          assertThat(content).as("%s holds a secret", f).doesNotContain(secret);
        }
      }
    }
  }

  static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static List<String> filesUnder(Path folder) throws Exception {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).sorted().toList();
    }
  }

  static McpSyncClient mcpClient(CallerGateway gateway, String host) {
    var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gateway.address().getPort())
        .endpoint("/" + host + "/mcp").build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
  }

  static String echo(McpSyncClient client, String message) {
    McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message)));
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }
}
