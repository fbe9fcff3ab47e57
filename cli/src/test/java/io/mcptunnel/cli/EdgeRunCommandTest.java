package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.ControlPlaneStandIn;
import io.mcptunnel.testing.TestPki;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcptunnel edge run} and {@code edge check}: in process for the refusals, as a child process for SIGTERM. */
class EdgeRunCommandTest {
  static final String KEY_HASH = "0123456789abcdef".repeat(4);

  @TempDir
  Path dir;
  Path cert;
  Path key;
  Path registry;
  Process process;

  @BeforeEach
  void files() throws IOException {
    cert = dir.resolve("edge.crt");
    key = dir.resolve("edge.key");
    TestPki.write(TestPki.create("edge test CA").server("edge.test"), cert, key);
    registry = Files.writeString(dir.resolve("tunnels.yaml"), """
        tunnels:
          - id: tnl_1
            domain: abcd.tunnel.test
            organization: org_1
            token_id: tok_1
            token_sha256: "%s"
            ca_certificates: |
              %s
        """.formatted("0".repeat(64),
        PemFiles.toPem(TestPki.create("tunnel CA").ca().certificate()).replace("\n", "\n      ")));
  }

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  Path config(String connector, String caller, String admin, String extra) throws IOException {
    return Files.writeString(dir.resolve("edge.yaml"), """
        connector_listen: "%s"
        caller_listen: "%s"
        admin_addr: "%s"
        tls:
          cert_file: %s
          key_file: %s
        registry_file: %s
        callers:
          - name: backend
            organization: org_1
            key_sha256: "%s"
        %s""".formatted(connector, caller, admin, cert, key, registry, KEY_HASH, extra));
  }

  @Test
  void helpExitsZero() {
    CliRun run = CliRun.of("edge", "run", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("--config", "/etc/mcptunnel/edge.yaml", "--log-format");
    assertThat(CliRun.of("edge", "--help").out()).contains("run", "check");
  }

  @Test
  void aBareGroupIsAUsageError() {
    assertThat(CliRun.of("edge").exit()).isEqualTo(2);
  }

  @Test
  void aTypoInAFieldNameExitsOneWithoutAStackTrace() throws IOException {
    Path file = config(":7844", ":7845", "127.0.0.1:7846", "log_levle: debug\n");
    for (String sub : List.of("run", "check")) {
      CliRun run = CliRun.of("edge", sub, "--config", file.toString());
      assertThat(run.exit()).as(sub).isEqualTo(1);
      assertThat(run.err()).as(sub).startsWith("mcptunnel: unknown field \"log_levle\"")
          .doesNotContain("at io.").doesNotContain("Exception");
      assertThat(run.out()).as(sub).doesNotContain("config OK");
    }
  }

  @Test
  void checkPrintsTheEffectiveConfigWithoutKeyMaterial() throws IOException {
    Path file = config(":7844", ":7845", "127.0.0.1:7846", "");
    CliRun run = CliRun.of("edge", "check", "--config", file.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("config OK: " + file)
        .contains("# registry: 1 tunnel in " + registry, "connector_listen: \":7844\"", "name: backend",
            "key_file: " + key)
        .doesNotContain(KEY_HASH).doesNotContain("PRIVATE KEY");
    assertThat(run.err()).isEmpty();
  }

  static final String CREDENTIAL = "mcpti1.icl_000000000000000000000001.c2VjcmV0LXNlY3JldC1zZWNyZXQ";

  /** The config with a control_plane block in place of registry_file. */
  Path controlPlaneConfig(String url) throws IOException {
    Path credential = Files.writeString(dir.resolve("edge.credential"), CREDENTIAL + "\n");
    String text = Files.readString(config(":7844", ":7845", "127.0.0.1:7846", ""))
        .replace("registry_file: " + registry, "control_plane:\n  url: \"" + url + "\"\n  credential_file: " + credential);
    return Files.writeString(dir.resolve("edge.yaml"), text);
  }

  @Test
  void checkLoadsTheControlPlaneStateWithoutShowingTheCredential() throws IOException {
    try (ControlPlaneStandIn controlPlane = new ControlPlaneStandIn(CREDENTIAL)) {
      while (controlPlane.version() < 41) {
        controlPlane.publish(); // other changes: the state version is global
      }
      controlPlane.publish(ControlPlaneStandIn.archived("tnl_1", "abcd.tunnel.test"));
      String url = controlPlane.url().toString();
      Path file = controlPlaneConfig(url);
      CliRun run = CliRun.of("edge", "check", "--config", file.toString());
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).startsWith("config OK: " + file)
          .contains("# registry: 1 tunnel from the control plane " + url + " (state version 42)",
              "control_plane:\n  url: \"" + url + "\"", "credential_file: " + dir.resolve("edge.credential"))
          .doesNotContain(CREDENTIAL.substring(CREDENTIAL.lastIndexOf('.') + 1));
      assertThat(controlPlane.requests).first().extracting(ControlPlaneStandIn.Seen::authorization)
          .isEqualTo("Bearer " + CREDENTIAL);
    }
  }

  @Test
  void checkRefusesAnUnreachableControlPlane() throws IOException {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRun run = CliRun.of("edge", "check", "--config", controlPlaneConfig("http://127.0.0.1:" + port).toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: control_plane.url http://127.0.0.1:" + port
        + ": cannot load the tunnel state: ").doesNotContain("at io.").doesNotContain(CREDENTIAL);
  }

  @Test
  void checkRefusesABrokenRegistryFile() throws IOException {
    Files.writeString(registry, "tunnels:\n  - id: tnl_1\n    archvied: true\n");
    CliRun run = CliRun.of("edge", "check", "--config", config(":7844", ":7845", "127.0.0.1:7846", "").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: ").contains("archvied").doesNotContain("at io.");
  }

  @Test
  void checkLoadsTheCallerCasAsRunDoes() throws IOException {
    Path cas = TestPki.create("caller CA").writeCa(dir.resolve("caller-ca.pem"));
    Path file = config(":7844", ":7845", "127.0.0.1:7846", "caller_tls:\n  client_ca_file: " + cas + "\n");
    CliRun ok = CliRun.of("edge", "check", "--config", file.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("# caller CAs: 1 in " + cas, "client_ca_file: " + cas);

    Files.delete(cas);
    CliRun missing = CliRun.of("edge", "check", "--config", file.toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).startsWith("mcptunnel: caller_tls.client_ca_file: open " + cas
        + ": no such file or directory").doesNotContain("at io.");
  }

  @Test
  void runServesUntilSigtermThenExitsZero() throws Exception {
    int admin = ProxyFiles.freePort();
    Path file = config("127.0.0.1:" + ProxyFiles.freePort(), "127.0.0.1:" + ProxyFiles.freePort(),
        "127.0.0.1:" + admin, "");
    process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "edge", "run", "--config", file.toString())
        .start();
    List<String> stdout = drain(process.getInputStream());
    List<String> stderr = drain(process.getErrorStream());

    awaitReady(URI.create("http://127.0.0.1:" + admin + "/readyz"), stdout, stderr);
    assertThat(stdout).anyMatch(l -> l.contains("\"edge started\""));
    process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our pipe ends
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited; stderr: %s", stderr).isTrue();
    assertThat(process.exitValue()).as("exit code; stderr: %s", stderr).isZero();
    assertThat(stderr).isEmpty();
  }

  private void awaitReady(URI readyz, List<String> stdout, List<String> stderr) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertThat(process.isAlive()).as("edge still running; stderr: %s stdout: %s", stderr, stdout).isTrue();
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("/readyz did not answer 200 within 30 s; stderr: " + stderr + " stdout: " + stdout);
  }

  private static List<String> drain(InputStream in) {
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    }, "drain");
    t.setDaemon(true);
    t.start();
    return lines;
  }
}
