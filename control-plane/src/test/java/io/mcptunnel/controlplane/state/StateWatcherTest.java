package io.mcptunnel.controlplane.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.store.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The watcher alone, on the embedded database: polling, poking, deadlines and close. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateWatcherTest {
  Database database;

  @BeforeAll
  void open() {
    database = Database.open(TestDatabase.H2.freshUrl());
  }

  @AfterAll
  void close() {
    database.close();
  }

  long advance() {
    return database.inTransaction(StateClock::advance);
  }

  long current() {
    return database.inTransaction(StateClock::read);
  }

  @Test
  void aChangeNobodyAnnouncedIsSeenAtTheNextTick() throws Exception {
    try (StateWatcher watcher = new StateWatcher(database, Duration.ofMillis(50)).start()) {
      long now = current();
      CompletableFuture<Void> woken = watcher.whenAfter(now, Duration.ofSeconds(20));
      assertThat(woken).isNotDone();
      long changed = System.nanoTime();
      advance();
      woken.get(5, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed)).isLessThan(500);
      assertThat(watcher.whenAfter(now, Duration.ofSeconds(20))).as("already past").isDone();
    }
  }

  @Test
  void aPokeReadsAtOnceEvenWithASlowTick() throws Exception {
    try (StateWatcher watcher = new StateWatcher(database, Duration.ofSeconds(30)).start()) {
      long now = current();
      CompletableFuture<Void> woken = watcher.whenAfter(now, Duration.ofSeconds(20));
      advance();
      long poked = System.nanoTime();
      watcher.poke();
      woken.get(5, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - poked)).isLessThan(500);
    }
  }

  @Test
  void aWaiterEndsAtItsDeadlineAndCloseEndsTheRest() throws Exception {
    StateWatcher watcher = new StateWatcher(database, Duration.ofMillis(50)).start();
    long now = current();
    long start = System.nanoTime();
    watcher.whenAfter(now, Duration.ofMillis(300)).get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(280L, 2000L);

    CompletableFuture<Void> parked = watcher.whenAfter(now, Duration.ofSeconds(30));
    assertThat(parked).isNotDone();
    watcher.close();
    assertThat(parked).isDone();
    assertThat(watcher.whenAfter(now, Duration.ofSeconds(30))).as("after close").isDone();
  }
}
