package io.mcptunnel.controlplane.state;

import io.mcptunnel.controlplane.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices new state versions for the edge long-polls of this control-plane instance. One daemon
 * thread reads {@code state_clock} every {@code interval}: other instances sharing the database
 * change it without telling us, so polling is what bounds their delay. A change made here calls
 * {@link #poke()} to read at once. Waiters are futures completed on this thread (when the version
 * passes theirs, at their deadline, or at {@link #close()}); they do their real work elsewhere.
 */
public final class StateWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateWatcher.class);

  private final Database database;
  private final long intervalNanos;
  private final Thread thread;
  private final List<Waiter> waiters = new ArrayList<>(); // guarded by this
  private long seen = -1; // guarded by this; -1 until the first read
  private boolean poked; // guarded by this
  private boolean closed; // guarded by this

  private record Waiter(long after, long deadline, CompletableFuture<Void> done) {}

  public StateWatcher(Database database, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: positive)");
    }
    this.database = database;
    this.intervalNanos = interval.toNanos();
    this.thread = new Thread(this::run, "control-plane-state-watcher");
    thread.setDaemon(true);
  }

  public StateWatcher start() {
    thread.start();
    return this;
  }

  /**
   * Completes once the version passes {@code after}, or when {@code wait} has passed, or when the
   * watcher closes; never exceptionally. The caller reads the state again either way.
   */
  public CompletableFuture<Void> whenAfter(long after, Duration wait) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (this) {
      if (closed || seen > after) {
        done.complete(null);
      } else {
        // Its deadline is checked at the next tick: at most one interval late.
        waiters.add(new Waiter(after, System.nanoTime() + wait.toNanos(), done));
      }
    }
    return done;
  }

  /** A local change committed: read the clock now rather than at the next tick. */
  public synchronized void poke() {
    poked = true;
    notifyAll();
  }

  /** Whether {@link #close()} has begun: this instance is going away. */
  public synchronized boolean closed() {
    return closed;
  }

  /** The last version read; -1 before the first. */
  public synchronized long seen() {
    return seen;
  }

  private void run() {
    boolean failing = false;
    while (true) {
      long version;
      try {
        version = database.inTransaction(StateClock::read);
        if (failing) {
          LOG.info("state clock readable again version={}", version);
          failing = false;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          // Once per outage, not every tick; the waiters still end at their deadlines.
          LOG.warn("state clock read failed reason={}", e.toString());
          failing = true;
        }
        version = -1;
      }
      List<CompletableFuture<Void>> ready = new ArrayList<>();
      long sleep = intervalNanos;
      synchronized (this) {
        if (closed) {
          return;
        }
        seen = Math.max(seen, version);
        long now = System.nanoTime();
        for (Iterator<Waiter> i = waiters.iterator(); i.hasNext(); ) {
          Waiter w = i.next();
          if (seen > w.after() || now - w.deadline() >= 0) {
            ready.add(w.done());
            i.remove();
          } else {
            sleep = Math.min(sleep, w.deadline() - now);
          }
        }
      }
      // Outside the lock: a completion may run dependent work inline.
      ready.forEach(f -> f.complete(null));
      synchronized (this) {
        if (!poked && !closed) {
          try {
            TimeUnit.NANOSECONDS.timedWait(this, sleep);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        poked = false;
        if (closed) {
          return;
        }
      }
    }
  }

  /** Stops the thread; every waiter completes (its request answers with the state as it is). */
  @Override
  public void close() {
    List<Waiter> left;
    synchronized (this) {
      closed = true;
      left = new ArrayList<>(waiters);
      waiters.clear();
      notifyAll();
    }
    left.forEach(w -> w.done().complete(null));
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
