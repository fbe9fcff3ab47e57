package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.controlplane.store.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two control-plane instances on one PostgreSQL (and one data directory, so one set of keys): a
 * change committed through one reaches an edge long-polling the other within the polling interval,
 * and closing a server with a parked long-poll neither hangs nor leaves the request unanswered.
 */
class InternalApiTwoInstancesPostgresTest {
  ApiFixture a;
  ApiFixture b;
  String edge;

  @BeforeEach
  void start() throws Exception {
    String url = TestDatabase.POSTGRES.freshUrl();
    Path dir = ApiFixture.newDataDirectory();
    a = new ApiFixture(url, dir, 1000, true, true);
    b = new ApiFixture(url, dir, 1000, true, false);
    String admin = Files.readString(dir.resolve(AdminTokenFile.FILE_NAME)).trim();
    edge = InternalApiContract.ok(a.call("POST", "/v1/admin/internal_clients", admin,
        "{\"name\":\"edge-b\",\"role\":\"edge\"}")).get("credential").asText();
    // The clock past 0: after=0 always means "send me everything", never a wait.
    InternalApiContract.ok(a.call("POST", "/v1/tunnels", a.token(), "{}"));
  }

  @AfterEach
  void stop() {
    b.close();
    a.close();
  }

  @Test
  void aChangeThroughOneInstanceWakesALongPollOnTheOther() throws Exception {
    long version = InternalApiContract.ok(b.call("GET", InternalApiContract.STATE, edge, null)).get("version").asLong();
    for (int round = 0; round < 3; round++) {
      CompletableFuture<HttpResponse<String>> poll = InternalApiContract.longPoll(b, edge, version, 20);
      JsonNode tunnel = InternalApiContract.ok(a.call("POST", "/v1/tunnels", a.token(), "{}"));
      long changed = System.nanoTime();
      HttpResponse<String> r = poll.get(5, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed);
      assertThat(millis).as("round %d", round).isLessThan(500);
      JsonNode body = ApiFixture.JSON.readTree(r.body());
      assertThat(body.get("reset").asBoolean()).isFalse();
      assertThat(body.get("version").asLong()).isGreaterThan(version);
      assertThat(body.get("tunnels").findValuesAsText("id")).contains(tunnel.get("id").asText());
      version = body.get("version").asLong();
    }
  }

  @Test
  void closingAServerAnswersItsParkedLongPollsAndDoesNotHang() throws Exception {
    long version = InternalApiContract.ok(b.call("GET", InternalApiContract.STATE, edge, null)).get("version").asLong();
    CompletableFuture<HttpResponse<String>> poll = InternalApiContract.longPoll(b, edge, version, 30);
    // Parked: nothing answers it for now.
    assertThatThrownBy(() -> poll.get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
    long start = System.nanoTime();
    b.server.close();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5000);
    try {
      HttpResponse<String> r = poll.get(5, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(ApiFixture.JSON.readTree(r.body()).get("tunnels")).isEmpty();
      // The edge's next poll must open a new connection, not come back to the server going away.
      assertThat(r.headers().firstValue("connection")).hasValue("close");
    } catch (ExecutionException e) {
      // The connection went down with the server: also an answer the edge handles (it retries).
      assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
    }
  }
}
