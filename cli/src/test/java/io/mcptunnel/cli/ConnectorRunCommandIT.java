package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mcptunnel.tunnel.TunnelToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mcptunnel connector run} as a child process with no edge reachable: it serves the admin
 * address (not ready), keeps retrying, and stops with exit 0 on SIGTERM. The path through a real
 * edge is the edge module's TunnelPathIT.
 */
class ConnectorRunCommandIT {
  private Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  @AfterEach
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Test
  void servesTheAdminAddressAndDrainsOnSigterm() throws Exception {
    String token = TunnelToken.generate("tnl_test", "tok_1").encode();
    int admin = ProxyFiles.freePort();
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "connector", "run",
        "--url", "http://127.0.0.1:" + ProxyFiles.freePort(), "--edge", "127.0.0.1:" + ProxyFiles.freePort(),
        "--admin", "127.0.0.1:" + admin, "--ha-connections", "2", "--grace-period", "2s");
    pb.environment().put("TUNNEL_TOKEN", token);
    process = pb.start();
    Thread out = drain(process.getInputStream(), stdout);
    Thread err = drain(process.getErrorStream(), stderr);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI base = URI.create("http://127.0.0.1:" + admin);
    awaitStarted(http, base.resolve("/metrics"));
    assertThat(http.send(HttpRequest.newBuilder(base.resolve("/ready")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).as("no edge connection: not ready").isEqualTo(503);
    assertThat(http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains("mcptunnel_connector_edge_connections");

    process.toHandle().destroy(); // SIGTERM
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited; stderr: %s", stderr).isTrue();
    assertThat(process.exitValue()).as("exit code; stderr: %s", stderr).isZero();
    out.join(5_000);
    err.join(5_000);
    assertThat(stdout).anyMatch(l -> l.contains("\"draining\"")).anyMatch(l -> l.contains("\"drained\""));
    assertThat(String.join("\n", stdout) + String.join("\n", stderr)).doesNotContain(token)
        .doesNotContain(token.substring(token.length() - 16));
    assertThat(stderr).isEmpty();
  }

  private void awaitStarted(HttpClient http, URI metrics) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("connector exited with %d; stderr: %s stdout: %s", process.exitValue(), stderr, stdout);
      }
      try {
        if (http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.discarding()).statusCode()
            == 200 && stdout.stream().anyMatch(l -> l.contains("connector started"))) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("the admin address did not answer within 30 s; stderr: %s stdout: %s", stderr, stdout);
  }

  private static Thread drain(InputStream in, List<String> into) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          into.add(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    }, "drain");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
