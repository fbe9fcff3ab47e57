package io.mcptunnel.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs a long-lived part (proxy, edge, connector) until SIGTERM/SIGINT, then stops it gracefully.
 * The hook goes in before the part starts, so no signal slips between "started" and "hooked". The
 * stop runs inside the JVM's shutdown sequence and blocks until the part has drained, so the JVM
 * cannot exit under in-flight work. A signal-initiated exit would end with 128+signal; a clean
 * stop is a success for the operator and the orchestrator, so the status is set here: 0 when the
 * stop was clean, 1 when work was cut off.
 */
final class RunUntilSignal {
  private RunUntilSignal() {}

  @FunctionalInterface
  interface Starter<T> {
    T start() throws Exception;
  }

  /**
   * @param stop stops the part gracefully; true when nothing was cut off
   * @param stopped completes with the same answer when the part stopped by itself
   */
  static <T> int run(Starter<T> start, Predicate<T> stop, Function<T, CompletableFuture<Boolean>> stopped)
      throws Exception {
    AtomicReference<T> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      T part = running.get();
      if (part == null) {
        return; // stopped before or while starting: nothing in flight, keep the JVM's own status
      }
      boolean clean = stop.test(part);
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(clean ? 0 : 1);
    }, "mcptunnel-shutdown"));
    T part = start.start();
    running.set(part);
    return stopped.apply(part).join() ? 0 : 1;
  }
}
