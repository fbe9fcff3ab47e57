package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcptunnel monitor} as a child process following a real {@code mcptunnel proxy run}'s log
 * file and scraping its {@code /metrics}, with a real webhook receiver: steady requests raise
 * nothing; a route to a disallowed IP and a caller that fails the inner TLS handshake each raise
 * their alert, once from the log and once from the metrics.
 */
class MonitorCommandIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private Process proxy;
  private ChildProcess monitor;
  private HttpServer receiver;
  private HttpTestServer upstream;
  private final EventLoopGroup callers = Transports.group("monitor-it-callers", 1);
  private final List<String> hooks = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    if (monitor != null) {
      monitor.close();
    }
    if (proxy != null) {
      proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (receiver != null) {
      receiver.stop(0);
    }
    if (upstream != null) {
      upstream.close();
    }
    callers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void steadyTrafficIsQuietAndEachPlantedAnomalyIsReportedWithWhy() throws Exception {
    Path proxyLog = startProxy();

    URI hook = startReceiver();
    monitor = ChildProcess.mcptunnel(dir, Map.of(), List.of("monitor",
        "--log", "proxy=" + proxyLog, "--metrics", "proxy-metrics=http://127.0.0.1:" + admin + "/metrics",
        "--interval", "1s", "--tls-failures", "1", "--webhook", hook.toString(), "--for", "3m"));
    monitor.awaitLine(l -> l.equals("monitor: watching 1 log and 1 metrics endpoint"), 30);

    InetSocketAddress proxyAddress = new InetSocketAddress("127.0.0.1", listen);
    try (TestCaller echo = TestCaller.connect(callers, proxyAddress, "echo.mcp.test", pki.clientContext())) {
      for (int i = 0; i < 20; i++) {
        assertThat(echo.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(200);
      }
    }
    // The IP-validation refusal: the db route's upstream is not in allowed_ips.
    try (TestCaller db = TestCaller.connect(callers, proxyAddress, "db.mcp.test", pki.clientContext())) {
      assertThat(db.call(HttpMethod.GET, "/", Map.of(), null).status()).isEqualTo(502);
    }
    // The TLS handshake failure: a caller that does not trust the proxy's certificate.
    TestPki stranger = TestPki.create("stranger");
    assertThatThrownBy(() -> TestCaller.connect(callers, proxyAddress, "echo.mcp.test", stranger.clientContext()))
        .hasStackTraceContaining("PKIX");

    List<String> expected = List.of("ip-validation-refusal [proxy]", "tls-handshake-failures [proxy]",
        "ip-validation-refusal [proxy-metrics]", "tls-handshake-failures [proxy-metrics]");
    await().atMost(Duration.ofSeconds(30)).until(() -> alertsOf(monitor.stdout).containsAll(expected));
    // Nothing else: 20 steady requests and the rest of the proxy's own logging raised no alert.
    assertThat(alertsOf(monitor.stdout)).as("stdout %s stderr %s", monitor.stdout, monitor.stderr)
        .containsExactlyInAnyOrderElementsOf(expected);

    String refusal = monitor.stdout.stream().filter(l -> l.contains(" ip-validation-refusal [proxy] ")).findFirst()
        .orElseThrow();
    assertThat(refusal).matches("\\S+ CRITICAL ip-validation-refusal \\[proxy\\] 1 IP-validation refusals in 5m0s "
        + "\\(threshold 1\\); example: msg=\"IP validation failed: 127\\.0\\.0\\.2 is not in allowed_ips\" "
        + "reason=NOT_ALLOWED request_id=\\S+ route=db upstream=http://127\\.0\\.0\\.2:9");
    String tls = monitor.stdout.stream().filter(l -> l.contains(" tls-handshake-failures [proxy] ")).findFirst()
        .orElseThrow();
    assertThat(tls).contains("WARNING tls-handshake-failures [proxy] 1 TLS handshake failures in 1m0s (threshold 1); "
        + "example: msg=\"tls handshake failed\"");

    await().atMost(Duration.ofSeconds(30)).until(() -> hooks.size() == expected.size());
    JsonNode posted = hooks.stream().map(MonitorCommandIT::json)
        .filter(j -> j.get("rule").asText().equals("ip-validation-refusal") && j.get("source").asText().equals("proxy"))
        .findFirst().orElseThrow();
    assertThat(posted.get("severity").asText()).isEqualTo("critical");
    assertThat(posted.get("summary").asText()).isEqualTo("1 IP-validation refusals in 5m0s (threshold 1)");
    assertThat(posted.get("observed").asDouble()).isEqualTo(1);
    assertThat(posted.get("threshold").asDouble()).isEqualTo(1);
    assertThat(posted.get("window").asText()).isEqualTo("5m0s");
    assertThat(posted.get("first_seen").asText()).isNotBlank();
    assertThat(posted.get("example").get("route").asText()).isEqualTo("db");
    assertThat(monitor.stderr).containsExactly("monitor: watching 1 log and 1 metrics endpoint");
  }

  private TestPki pki;
  private int listen;
  private int admin;

  /** A real {@code mcptunnel proxy run} with routes echo (allowed) and db (refused), its stdout in proxy.log. */
  private Path startProxy() throws Exception {
    pki = TestPki.create("monitor CA");
    TestPki.write(pki.server("echo.mcp.test", "db.mcp.test"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
    upstream = HttpTestServer.start("127.0.0.1");
    listen = ProxyFiles.freePort();
    admin = ProxyFiles.freePort();
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        listen_addr: "127.0.0.1:%d"
        admin_addr: "127.0.0.1:%d"
        tunnel_domain: mcp.test
        tls:
          cert_file: %s
          key_file: %s
        routes:
          echo: http://127.0.0.1:%d
          db: http://127.0.0.2:9
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(listen, admin, dir.resolve("tls.crt"), dir.resolve("tls.key"), upstream.port()));
    Path proxyLog = dir.resolve("proxy.log");
    proxy = new ProcessBuilder(java("proxy", "run", "--config", config.toString()))
        .directory(dir.toFile()).redirectOutput(proxyLog.toFile()).redirectErrorStream(true).start();
    awaitReady(URI.create("http://127.0.0.1:" + admin + "/readyz"));
    return proxyLog;
  }

  @Test
  void aRequestRateSpikeAfterSteadyTrafficIsReportedOnce() throws Exception {
    Path proxyLog = startProxy();
    // Short windows so the test takes seconds: baseline learned over 20s, alerts after 6s.
    monitor = ChildProcess.mcptunnel(dir, Map.of(), List.of("monitor", "--log", "proxy=" + proxyLog,
        "--rate-window", "2s", "--rate-baseline", "20s", "--rate-warmup", "6s", "--rate-min", "5",
        "--rate-factor", "4", "--for", "3m"));
    monitor.awaitLine(l -> l.equals("monitor: watching 1 log and 0 metrics endpoints"), 30);

    InetSocketAddress proxyAddress = new InetSocketAddress("127.0.0.1", listen);
    try (TestCaller echo = TestCaller.connect(callers, proxyAddress, "echo.mcp.test", pki.clientContext())) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(9);
      while (System.nanoTime() < end) {
        assertThat(echo.call(HttpMethod.GET, "/headers", Map.of(), null).status()).isEqualTo(200);
        Thread.sleep(250); // pacing steady traffic at about 4 requests/s, not waiting for a condition
      }
      assertThat(monitor.stdout).as("no alert on steady traffic; stderr %s", monitor.stderr).isEmpty();
      for (int i = 0; i < 300; i++) {
        echo.call(HttpMethod.GET, "/headers", Map.of(), null);
      }
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> !monitor.stdout.isEmpty());
    assertThat(monitor.stdout).singleElement().asString().matches("\\S+ WARNING request-rate-spike \\[proxy\\] "
        + "request rate \\d+\\.\\d\\d/s over 2s is above 4\\.0 x the baseline \\d+\\.\\d\\d/s "
        + "\\(learned over 20s; minimum rate 5\\.00/s\\); example: msg=request .* route=echo status=200 .*");
  }

  private static List<String> alertsOf(List<String> stdout) {
    List<String> out = new ArrayList<>();
    for (String line : stdout) {
      String[] parts = line.split(" ");
      if (parts.length > 3) {
        out.add(parts[2] + " " + parts[3]);
      }
    }
    return out;
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  private URI startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/alerts", x -> {
      hooks.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      x.sendResponseHeaders(204, -1);
      x.close();
    });
    receiver.start();
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts");
  }

  private static List<String> java(String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    return command;
  }

  private void awaitReady(URI readyz) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      assertThat(proxy.isAlive()).as("proxy running; log: %s", Files.exists(dir.resolve("proxy.log"))
          ? Files.readString(dir.resolve("proxy.log")) : "").isTrue();
      try {
        return http.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException notYet) {
        return false;
      }
    });
  }
}
