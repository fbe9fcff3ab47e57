package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mcptunnel.ops.monitor.Alert.Severity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a real HTTP receiver on loopback. */
class WebhookNotifierTest {
  private static final Alert ALERT = new Alert(Instant.parse("2026-11-26T20:00:00Z"), "token-rejected",
      Severity.CRITICAL, "edge", "1 rejected connector tokens in 5m0s (threshold 1)", 1, 1, "5m0s",
      Instant.parse("2026-11-26T19:59:58Z"), Map.of("msg", "connector refused", "reason", "token rejected: rotated"));

  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private HttpServer receiver;

  private URI start(String path) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/", x -> {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      int status = failuresLeft.getAndDecrement() > 0 ? 503 : 204;
      if (status == 204) {
        bodies.add(x.getRequestHeaders().getFirst("Content-Type") + " " + body);
      }
      x.sendResponseHeaders(status, -1);
      x.close();
    });
    receiver.start();
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + path);
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void postsTheAlertAsJsonRetryingAFailedAttempt() throws Exception {
    failuresLeft.set(2);
    StringWriter err = new StringWriter();
    try (WebhookNotifier hook = new WebhookNotifier(HttpClient.newHttpClient(), start("/hooks/alerts"),
        Duration.ofMillis(10), new PrintWriter(err))) {
      hook.accept(ALERT);
      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
    }
    assertThat(bodies.get(0)).startsWith("application/json {");
    JsonNode json = new ObjectMapper().readTree(bodies.get(0).substring("application/json ".length()));
    assertThat(json.get("rule").asText()).isEqualTo("token-rejected");
    assertThat(json.get("severity").asText()).isEqualTo("critical");
    assertThat(json.get("source").asText()).isEqualTo("edge");
    assertThat(json.get("summary").asText()).isEqualTo("1 rejected connector tokens in 5m0s (threshold 1)");
    assertThat(json.get("first_seen").asText()).isEqualTo("2026-11-26T19:59:58Z");
    assertThat(json.get("example").get("reason").asText()).isEqualTo("token rejected: rotated");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aReceiverThatKeepsFailingIsReportedWithoutItsPathAndTheNextAlertStillGoesOut() throws Exception {
    failuresLeft.set(WebhookNotifier.ATTEMPTS);
    StringWriter err = new StringWriter();
    try (WebhookNotifier hook = new WebhookNotifier(HttpClient.newHttpClient(), start("/hooks/T0KEN-SECRET"),
        Duration.ofMillis(10), new PrintWriter(err))) {
      hook.accept(ALERT);
      hook.accept(ALERT);
      await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() == 1);
    }
    assertThat(err.toString()).isEqualTo("monitor: webhook http://127.0.0.1:" + receiver.getAddress().getPort()
        + " failed for alert token-rejected [edge] after 3 attempts: HTTP 503" + System.lineSeparator());
    assertThat(err.toString()).doesNotContain("T0KEN-SECRET");
  }
}
