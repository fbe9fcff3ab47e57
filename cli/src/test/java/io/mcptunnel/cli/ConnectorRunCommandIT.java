package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.mcptunnel.tunnel.TunnelToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mcptunnel connector run} as a child process with no edge reachable: it serves the admin
 * address (not ready), keeps retrying, and stops with exit 0 on SIGTERM. The path through a real
 * edge is the edge module's TunnelPathIT.
 */
class ConnectorRunCommandIT {
  private ChildProcess child;

  @AfterEach
  void kill() {
    if (child != null) {
      child.close();
    }
  }

  @Test
  void servesTheAdminAddressAndDrainsOnSigterm() throws Exception {
    String token = TunnelToken.generate("tnl_test", "tok_1").encode();
    int admin = ProxyFiles.freePort();
    Path pidFile = java.nio.file.Files.createTempDirectory("connector-pid").resolve("connector.pid");
    child = ChildProcess.mcptunnel(Path.of("."), Map.of("TUNNEL_TOKEN", token), List.of("connector", "run",
        "--pid-file", pidFile.toString(),
        "--url", "http://127.0.0.1:" + ProxyFiles.freePort(), "--edge", "127.0.0.1:" + ProxyFiles.freePort(),
        "--admin", "127.0.0.1:" + admin, "--ha-connections", "2", "--grace-period", "2s"));
    List<String> stdout = child.stdout;
    List<String> stderr = child.stderr;

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    URI base = URI.create("http://127.0.0.1:" + admin);
    awaitStarted(http, base.resolve("/metrics"));
    assertThat(http.send(HttpRequest.newBuilder(base.resolve("/ready")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).as("no edge connection: not ready").isEqualTo(503);
    assertThat(http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains("mcptunnel_connector_edge_connections");
    assertThat(java.nio.file.Files.readString(pidFile)).isEqualTo(child.process.pid() + "\n");

    child.sigterm();
    assertThat(child.awaitExit(20)).as("exit code; stderr: %s", stderr).isZero();
    assertThat(pidFile).as("removed on a clean exit").doesNotExist();
    assertThat(stdout).anyMatch(l -> l.contains("\"draining\"")).anyMatch(l -> l.contains("\"drained\""));
    assertThat(String.join("\n", stdout) + String.join("\n", stderr)).doesNotContain(token)
        .doesNotContain(token.substring(token.length() - 16));
    assertThat(stderr).isEmpty();
  }

  private void awaitStarted(HttpClient http, URI metrics) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!child.process.isAlive()) {
        fail("connector exited with %d; stderr: %s stdout: %s", child.process.exitValue(), child.stderr,
            child.stdout);
      }
      try {
        if (http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.discarding()).statusCode()
            == 200 && child.stdout.stream().anyMatch(l -> l.contains("connector started"))) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("the admin address did not answer within 30 s; stderr: %s stdout: %s", child.stderr, child.stdout);
  }
}
