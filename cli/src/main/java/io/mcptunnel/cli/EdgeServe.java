package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.edge.server.EdgeConfig;
import io.mcptunnel.edge.server.EdgeServer;

/** Runs an edge until SIGTERM/SIGINT, the way {@link ServeUntilSignal} runs a proxy. */
final class EdgeServe {
  private EdgeServe() {}

  /** Configures logging, starts the edge and blocks until it has been closed. */
  static int serve(EdgeConfig c, LogSetup.Format formatOverride) throws Exception {
    LogSetup.configure(Level.toLevel(c.logLevel().name()),
        formatOverride != null ? formatOverride : LogSetup.Format.valueOf(c.logFormat().name()));
    return RunUntilSignal.run(() -> EdgeServer.start(c), server -> {
      server.close();
      return true;
    }, server -> server.closed().thenApply(done -> true));
  }
}
