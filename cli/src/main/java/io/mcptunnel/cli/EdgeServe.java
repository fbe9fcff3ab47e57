package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.edge.server.EdgeConfig;
import io.mcptunnel.edge.server.EdgeServer;
import java.util.concurrent.atomic.AtomicReference;

/** Runs an edge until SIGTERM/SIGINT, the way {@link ServeUntilSignal} runs a proxy. */
final class EdgeServe {
  private EdgeServe() {}

  /** Configures logging, starts the edge and blocks until it has been closed; returns 0. */
  static int serve(EdgeConfig c, LogSetup.Format formatOverride) throws InterruptedException {
    LogSetup.configure(Level.toLevel(c.logLevel().name()),
        formatOverride != null ? formatOverride : LogSetup.Format.valueOf(c.logFormat().name()));
    // The hook goes in before the listeners open, so no signal can slip between "ready" and "hooked".
    AtomicReference<EdgeServer> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(running.get()), "mcptunnel-shutdown"));
    EdgeServer server = EdgeServer.start(c);
    running.set(server);
    server.closed().join();
    return 0;
  }

  /**
   * Runs in the JVM's shutdown sequence. A signal-initiated exit would end with 128+signal; a
   * requested stop that closed cleanly is a success for the operator and the orchestrator, so the
   * status is set here.
   */
  private static void stopOnSignal(EdgeServer server) {
    if (server == null) {
      return; // stopped before or while starting: keep the JVM's own exit status
    }
    server.close();
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }
}
