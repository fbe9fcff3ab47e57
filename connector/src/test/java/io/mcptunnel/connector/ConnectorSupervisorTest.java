package io.mcptunnel.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.common.Backoff;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The supervisor's decisions, driven by a fake clock and scheduler: nothing sleeps. */
class ConnectorSupervisorTest {
  static final InetSocketAddress EDGE_A = InetSocketAddress.createUnresolved("edge-a", 7844);
  static final InetSocketAddress EDGE_B = InetSocketAddress.createUnresolved("edge-b", 7844);

  final List<InetSocketAddress> dialed = new ArrayList<>();
  final List<CompletableFuture<Channel>> pending = new ArrayList<>();
  final List<Runnable> scheduled = new ArrayList<>();
  final List<Duration> delays = new ArrayList<>();
  Instant now = Instant.parse("2026-11-26T00:00:00Z");

  ConnectorSupervisor supervisor(int slots) {
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    return new ConnectorSupervisor(List.of(EDGE_A, EDGE_B), slots, edge -> {
      dialed.add(edge);
      CompletableFuture<Channel> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }, (task, delay) -> {
      scheduled.add(task);
      delays.add(delay);
    }, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), () -> 1.0), clock, Duration.ofSeconds(30));
  }

  void runScheduled() {
    List<Runnable> tasks = new ArrayList<>(scheduled);
    scheduled.clear();
    tasks.forEach(Runnable::run);
  }

  @Test
  void slotsAreSpreadOverDistinctEdges() {
    supervisor(4).start();
    assertThat(dialed).containsExactly(EDGE_A, EDGE_B, EDGE_A, EDGE_B);
  }

  @Test
  void failuresBackOffExponentiallyToTheCapAndMoveToTheNextEdge() {
    int[] retries = {0};
    ConnectorSupervisor s = supervisor(1).onRetry(() -> retries[0]++);
    s.start();
    for (int i = 0; i < 5; i++) {
      pending.get(pending.size() - 1).completeExceptionally(new RegistrationRejectedException(401, "token rejected: rotated"));
      runScheduled();
    }
    assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
        Duration.ofSeconds(8), Duration.ofSeconds(8));
    assertThat(dialed).containsExactly(EDGE_A, EDGE_B, EDGE_A, EDGE_B, EDGE_A, EDGE_B);
    assertThat(s.liveConnections()).isZero();
    assertThat(retries[0]).isEqualTo(5);
  }

  @Test
  void aLostConnectionIsReplacedAndTheBackoffResetsOnlyAfterAHealthyPeriod() {
    ConnectorSupervisor s = supervisor(1);
    s.start();
    pending.get(0).completeExceptionally(new java.io.IOException("refused"));
    runScheduled();
    EmbeddedChannel first = new EmbeddedChannel();
    pending.get(1).complete(first);
    assertThat(s.liveConnections()).isEqualTo(1);

    now = now.plusSeconds(5); // short-lived: the failure count keeps growing
    first.close();
    assertThat(delays).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    runScheduled();
    EmbeddedChannel second = new EmbeddedChannel();
    pending.get(2).complete(second);

    now = now.plusSeconds(60); // healthy for long enough: start over
    second.close();
    assertThat(delays).last().isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void closeStopsReconnecting() {
    ConnectorSupervisor s = supervisor(2);
    s.start();
    EmbeddedChannel ch = new EmbeddedChannel();
    pending.get(0).complete(ch);
    s.close();
    assertThat(ch.isOpen()).isFalse();
    pending.get(1).complete(new EmbeddedChannel());
    assertThat(scheduled).isEmpty();
    assertThat(s.liveConnections()).isZero();
  }
}
