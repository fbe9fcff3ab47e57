package io.mcptunnel.connector;

import io.mcptunnel.common.Backoff;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code slots} connections to the edges up. Slots start spread over distinct edge addresses
 * and move to the next address after a failure; each slot reconnects with exponential backoff and
 * jitter, whose count is reset only after a connection stayed up for {@code healthyAfter}. Knows
 * nothing of the transport: an {@link Attempt} makes one connection, a {@link Scheduler} (a fake
 * one in tests) runs the retries.
 */
public final class ConnectorSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorSupervisor.class);

  /** One attempt to join one edge. */
  @FunctionalInterface
  public interface Attempt {
    CompletableFuture<Channel> connect(InetSocketAddress edge);
  }

  /** Runs a task later. */
  @FunctionalInterface
  public interface Scheduler {
    void schedule(Runnable task, Duration delay);
  }

  private final List<InetSocketAddress> edges;
  private final Attempt attempt;
  private final Scheduler scheduler;
  private final Backoff backoff;
  private final Clock clock;
  private final Duration healthyAfter;
  private final Slot[] slots;
  private volatile boolean stopped;
  private volatile Runnable onRetry = () -> { };

  private static final class Slot {
    int edgeIndex;
    int failures;
    volatile Channel channel;
    Instant since;
  }

  public ConnectorSupervisor(List<InetSocketAddress> edges, int slots, Attempt attempt, Scheduler scheduler,
      Backoff backoff, Clock clock, Duration healthyAfter) {
    if (edges.isEmpty() || slots < 1) {
      throw new IllegalArgumentException("need at least one edge address and one connection");
    }
    this.edges = List.copyOf(edges);
    this.attempt = attempt;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.clock = clock;
    this.healthyAfter = healthyAfter;
    this.slots = new Slot[slots];
    for (int i = 0; i < slots; i++) {
      this.slots[i] = new Slot();
      this.slots[i].edgeIndex = i % this.edges.size();
    }
  }

  /** Called each time a retry is scheduled (lost or failed connection), e.g. to count reconnects. */
  public ConnectorSupervisor onRetry(Runnable hook) {
    this.onRetry = hook;
    return this;
  }

  public void start() {
    for (int i = 0; i < slots.length; i++) {
      connect(i);
    }
  }

  /** Connections up right now; readiness needs at least one. */
  public int liveConnections() {
    int n = 0;
    for (Slot s : slots) {
      Channel c = s.channel;
      n += c != null && c.isActive() ? 1 : 0;
    }
    return n;
  }

  /** The open connections, e.g. to drain them. */
  public List<Channel> connections() {
    return java.util.Arrays.stream(slots).map(s -> s.channel).filter(c -> c != null && c.isActive()).toList();
  }

  private void connect(int i) {
    if (stopped) {
      return;
    }
    Slot slot = slots[i];
    InetSocketAddress edge = edges.get(slot.edgeIndex);
    attempt.connect(edge).whenComplete((ch, err) -> {
      if (err != null) {
        failed(i, edge, err instanceof CompletionException && err.getCause() != null ? err.getCause() : err);
      } else {
        connected(i, edge, ch);
      }
    });
  }

  private void connected(int i, InetSocketAddress edge, Channel ch) {
    Slot slot = slots[i];
    if (stopped) {
      ch.close();
      return;
    }
    slot.channel = ch;
    slot.since = clock.instant();
    LOG.atInfo().addKeyValue("slot", i).addKeyValue("edge", describe(edge)).log("edge connection up");
    ch.closeFuture().addListener(f -> lost(i, edge));
  }

  private void lost(int i, InetSocketAddress edge) {
    Slot slot = slots[i];
    slot.channel = null;
    if (stopped) {
      return;
    }
    if (Duration.between(slot.since, clock.instant()).compareTo(healthyAfter) >= 0) {
      slot.failures = 0;
    }
    Duration delay = backoff.delay(slot.failures++);
    LOG.atWarn().addKeyValue("slot", i).addKeyValue("edge", describe(edge))
        .addKeyValue("retry_in", delay.toString()).log("edge connection lost");
    onRetry.run();
    scheduler.schedule(() -> connect(i), delay);
  }

  private void failed(int i, InetSocketAddress edge, Throwable cause) {
    Slot slot = slots[i];
    // Try the next address: an edge that refuses or is down should not hold the slot.
    slot.edgeIndex = (slot.edgeIndex + 1) % edges.size();
    Duration delay = backoff.delay(slot.failures++);
    if (cause instanceof RegistrationRejectedException rejected) {
      LOG.atError().addKeyValue("slot", i).addKeyValue("edge", describe(edge))
          .addKeyValue("status", rejected.status()).addKeyValue("retry_in", delay.toString())
          .log(rejected.getMessage());
    } else {
      LOG.atWarn().addKeyValue("slot", i).addKeyValue("edge", describe(edge))
          .addKeyValue("reason", String.valueOf(cause.getMessage())).addKeyValue("retry_in", delay.toString())
          .log("edge connection failed");
    }
    onRetry.run();
    scheduler.schedule(() -> connect(i), delay);
  }

  /** {@code host:port}, whether or not the name has been resolved. */
  static String describe(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  /** Stops reconnecting but leaves the open connections alone, so they can drain. */
  public void stopReconnecting() {
    stopped = true;
  }

  /** Stops reconnecting and closes every connection. */
  @Override
  public void close() {
    stopped = true;
    for (Slot s : slots) {
      Channel c = s.channel;
      if (c != null) {
        c.close();
      }
    }
  }
}
