package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.io.TempDir;

/** {@code mcptunnel proxy run} and {@code proxy demo} as real child processes: start, become ready, stop on SIGTERM. */
class ProxyRunCommandIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  Path dir;

  private ChildProcess child;

  @AfterEach
  void kill() {
    if (child != null) {
      child.close();
    }
  }

  @Test
  void startsBecomesReadyAndStopsCleanlyOnSigterm() throws Exception {
    ProxyFiles files = new ProxyFiles(dir);
    int admin = ProxyFiles.freePort();
    Path config = files.config("127.0.0.1:" + ProxyFiles.freePort(), "127.0.0.1:" + admin, "");

    child = ChildProcess.mcptunnel(dir, Map.of(),
        List.of("proxy", "run", "--config", config.toString(), "--cert-poll-interval", "1s",
            "--pid-file", dir.resolve("proxy.pid").toString()));
    List<String> stdout = child.stdout;
    List<String> stderr = child.stderr;

    awaitReady(URI.create("http://127.0.0.1:" + admin + "/readyz"), "\"proxy started\"");
    assertThat(stdout).as("log lines").isNotEmpty();
    for (String line : stdout) {
      MAPPER.readTree(line); // every stdout line is a JSON log object
    }
    assertThat(stdout).anyMatch(l -> json(l).path("msg").asText().equals("proxy started"));
    assertThat(java.nio.file.Files.readString(dir.resolve("proxy.pid"))).isEqualTo(child.process.pid() + "\n");

    child.sigterm();
    assertThat(child.awaitExit(20)).as("exit code; stderr: %s", stderr).isZero();
    assertThat(dir.resolve("proxy.pid")).as("removed on a clean exit").doesNotExist();
    assertThat(stdout).anyMatch(l -> json(l).path("msg").asText().equals("proxy shutting down"));
    assertThat(stdout).as("stderr: %s", stderr).anyMatch(l -> json(l).path("msg").asText().equals("proxy stopped"));
    assertThat(stderr).isEmpty();
  }

  @Test
  void demoWritesThrowawayMaterialWithPrivateKeyModesAndServes() throws Exception {
    int admin = ProxyFiles.freePort();
    Path demo = dir.resolve("demo");
    child = ChildProcess.mcptunnel(dir, Map.of(), List.of("proxy", "demo",
        "--dir", demo.toString(), "--listen", "127.0.0.1:" + ProxyFiles.freePort(), "--admin", "127.0.0.1:" + admin));

    awaitReady(URI.create("http://127.0.0.1:" + admin + "/readyz"), "proxy started");
    assertThat(java.nio.file.Files.getPosixFilePermissions(demo.resolve("tls.key")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(io.mcptunnel.proxy.config.ProxyConfigParser.parse(demo.resolve("config.yaml")).routes())
        .containsKey("mcp");
    assertThat(child.stderr).anyMatch(l -> l.contains("mcp-call.mjs"));

    child.sigterm();
    assertThat(child.awaitExit(20)).as("exit code; stderr: %s", child.stderr).isZero();
  }

  private void awaitReady(URI readyz, String startedMarker) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!child.process.isAlive()) {
        fail("proxy exited with %d before it was ready; stderr: %s stdout: %s",
            child.process.exitValue(), child.stderr, child.stdout);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && child.stdout.stream().anyMatch(l -> l.contains(startedMarker))) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("/readyz did not answer 200 within 30 s; stderr: %s stdout: %s", child.stderr, child.stdout);
  }

  private static JsonNode json(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
  }
}
