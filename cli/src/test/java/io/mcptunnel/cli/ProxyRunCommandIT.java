package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.api.io.TempDir;

/** {@code mcptunnel proxy run} and {@code proxy demo} as real child processes: start, become ready, stop on SIGTERM. */
class ProxyRunCommandIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  Path dir;

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
  void startsBecomesReadyAndStopsCleanlyOnSigterm() throws Exception {
    ProxyFiles files = new ProxyFiles(dir);
    int admin = ProxyFiles.freePort();
    Path config = files.config("127.0.0.1:" + ProxyFiles.freePort(), "127.0.0.1:" + admin, "");

    process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "proxy", "run", "--config", config.toString(), "--cert-poll-interval", "1s")
        .start();
    Thread out = drain(process.getInputStream(), stdout);
    Thread err = drain(process.getErrorStream(), stderr);

    awaitReady(URI.create("http://127.0.0.1:" + admin + "/readyz"), "\"proxy started\"");
    assertThat(stdout).as("log lines").isNotEmpty();
    for (String line : stdout) {
      MAPPER.readTree(line); // every stdout line is a JSON log object
    }
    assertThat(stdout).anyMatch(l -> json(l).path("msg").asText().equals("proxy started"));

    // SIGTERM, as an orchestrator sends it. Not Process.destroy(): that also closes our ends of the
    // child's pipes, and the shutdown log lines written afterwards would be lost.
    process.toHandle().destroy();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited within 20 s; stderr: %s", stderr).isTrue();
    assertThat(process.exitValue()).as("exit code; stderr: %s", stderr).isZero();
    out.join(5_000); // the readers end at end-of-stream, after the last lines
    err.join(5_000);
    assertThat(stdout).anyMatch(l -> json(l).path("msg").asText().equals("proxy shutting down"));
    assertThat(stdout).as("stderr: %s", stderr).anyMatch(l -> json(l).path("msg").asText().equals("proxy stopped"));
    assertThat(stderr).isEmpty();
  }

  @Test
  void demoWritesThrowawayMaterialWithPrivateKeyModesAndServes() throws Exception {
    int admin = ProxyFiles.freePort();
    Path demo = dir.resolve("demo");
    process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "proxy", "demo",
        "--dir", demo.toString(), "--listen", "127.0.0.1:" + ProxyFiles.freePort(), "--admin", "127.0.0.1:" + admin)
        .start();
    drain(process.getInputStream(), stdout);
    drain(process.getErrorStream(), stderr);

    awaitReady(URI.create("http://127.0.0.1:" + admin + "/readyz"), "proxy started");
    assertThat(java.nio.file.Files.getPosixFilePermissions(demo.resolve("tls.key")))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    assertThat(io.mcptunnel.proxy.config.ProxyConfigParser.parse(demo.resolve("config.yaml")).routes())
        .containsKey("mcp");
    assertThat(stderr).anyMatch(l -> l.contains("mcp-call.mjs"));

    process.toHandle().destroy();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("exit code; stderr: %s", stderr).isZero();
  }

  private void awaitReady(URI readyz, String startedMarker) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        fail("proxy exited with %d before it was ready; stderr: %s stdout: %s",
            process.exitValue(), stderr, stdout);
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && stdout.stream().anyMatch(l -> l.contains(startedMarker))) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail("/readyz did not answer 200 within 30 s; stderr: %s stdout: %s", stderr, stdout);
  }

  private static JsonNode json(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("not a JSON log line: " + line, e);
    }
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
