package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.TestPki;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent, non-Java caller: Node's {@code tls} over the {@code ws} package's WebSocket stream
 * ({@code src/test/node/mcp-call.mjs}) calls a real MCP server through the proxy.
 */
class ProxyNodeCallerIT {
  private static final String ROUTE_HOST = "mcp." + ProxyHarness.DOMAIN;
  private static final long CALL_TIMEOUT_SECONDS = 60;
  private static final long NPM_TIMEOUT_SECONDS = 180;
  private static final ObjectMapper JSON = new ObjectMapper();

  static Path nodeDir;

  @TempDir Path dir;
  SampleMcpServer mcp;
  ProxyHarness h;
  Path caFile;

  @BeforeAll
  static void prepareNode() throws Exception {
    nodeDir = Path.of(System.getProperty("user.dir")).resolve("src/test/node").toAbsolutePath();
    if (!Files.isRegularFile(nodeDir.resolve("mcp-call.mjs"))) {
      fail("Node caller not found at " + nodeDir + " (run the test from the proxy module directory)");
    }
    Result version = run(List.of("node", "--version"), 30);
    if (version.exitCode() != 0) {
      fail("`node --version` failed (exit " + version.exitCode() + "): " + version.stderr());
    }
    if (!Files.isDirectory(nodeDir.resolve("node_modules/ws"))
        || !Files.isDirectory(nodeDir.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      Result install = run(List.of(npm(), "ci", "--no-audit", "--no-fund"), NPM_TIMEOUT_SECONDS);
      if (install.exitCode() != 0) {
        fail("`npm ci` in " + nodeDir + " failed (exit " + install.exitCode() + "):\n"
            + install.stdout() + install.stderr());
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    h = new ProxyHarness(dir);
    h.start("""
        routes:
          mcp: http://127.0.0.1:%d
        upstream:
          allowed_ips: [127.0.0.1]
        """.formatted(mcp.port()));
    caFile = h.pki.writeCa(dir.resolve("ca.pem"));
  }

  @AfterEach
  void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (mcp != null) {
      mcp.close();
    }
  }

  @Test
  void nodeCallerCallsEchoOverOneInnerTlsSession() throws Exception {
    String marker = "node-caller-" + UUID.randomUUID();
    Result r = call(caFile, "echo", JSON.writeValueAsString(Map.of("message", marker)));

    assertThat(r.exitCode()).as(r.describe()).isZero();
    JsonNode out = r.json();
    assertThat(out.path("ok").asBoolean()).as(r.describe()).isTrue();
    assertThat(out.path("text").asText()).isEqualTo(marker);
    assertThat(out.path("tlsProtocol").asText()).isIn("TLSv1.2", "TLSv1.3");
    // initialize, notifications/initialized and tools/call all went over one WebSocket + inner TLS.
    assertThat(out.path("sessions").asInt()).as(r.describe()).isEqualTo(1);
    // The proxy saw all three requests on the route.
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(requestCount()).isEqualTo(3));
  }

  @Test
  void nodeCallerCallsAdd() throws Exception {
    Result r = call(caFile, "add", "{\"a\":2,\"b\":3}");

    assertThat(r.exitCode()).as(r.describe()).isZero();
    assertThat(r.json().path("ok").asBoolean()).as(r.describe()).isTrue();
    assertThat(r.json().path("text").asText()).isEqualTo("5.0");
    assertThat(r.json().path("sessions").asInt()).isEqualTo(1);
  }

  @Test
  void nodeCallerRejectsACertificateFromAnotherCa() throws Exception {
    Path otherCa = TestPki.create("other").writeCa(dir.resolve("other-ca.pem"));
    Result r = call(otherCa, "echo", "{\"message\":\"must not arrive\"}");

    assertThat(r.exitCode()).as(r.describe()).isNotZero();
    JsonNode out = r.json();
    assertThat(out.path("ok").asBoolean()).as(r.describe()).isFalse();
    // The proxy sends its leaf certificate only, so Node reports UNABLE_TO_VERIFY_LEAF_SIGNATURE; with
    // the chain sent it would be SELF_SIGNED_CERT_IN_CHAIN. Either way: verification, not transport.
    assertThat(out.path("error").asText()).as(r.describe())
        .containsAnyOf("unable to verify the first certificate", "self-signed certificate");
    assertThat(out.path("code").asText()).as(r.describe())
        .isIn("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        h.proxy.registry().get("mcptunnel.proxy.tls.handshake.failures").counter().count()).isEqualTo(1.0));
    assertThat(requestCount()).isZero();
  }

  private long requestCount() {
    return h.proxy.registry().find("mcptunnel.proxy.requests").tag("route", "mcp").timers().stream()
        .mapToLong(Timer::count).sum();
  }

  private Result call(Path ca, String tool, String jsonArgs) throws Exception {
    InetSocketAddress proxy = h.proxy.listenAddress();
    return run(List.of("node", "mcp-call.mjs", "127.0.0.1:" + proxy.getPort(), ROUTE_HOST,
        ca.toString(), tool, jsonArgs), CALL_TIMEOUT_SECONDS);
  }

  private static String npm() {
    return System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "npm.cmd" : "npm";
  }

  /** Runs a command in the node folder with a bounded wait, capturing stdout and stderr. */
  static Result run(List<String> command, long timeoutSeconds) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(new ArrayList<>(command)).directory(nodeDir.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run `" + command.get(0) + "` (is Node.js installed and on PATH?): "
          + e.getMessage(), e);
    }
    p.getOutputStream().close();
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
          + " s\nstdout: " + stdout.getNow("") + "\nstderr: " + stderr.getNow(""));
    }
    return new Result(p.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    /** The caller's single line of JSON output. */
    JsonNode json() {
      String line = stdout.strip();
      assertThat(line).as(describe()).isNotEmpty().doesNotContain("\n");
      try {
        return JSON.readTree(line);
      } catch (IOException e) {
        throw new AssertionError("caller output is not JSON: " + describe(), e);
      }
    }

    String describe() {
      return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }
}
