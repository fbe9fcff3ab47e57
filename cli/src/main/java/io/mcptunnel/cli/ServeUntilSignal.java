package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfig;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a proxy until SIGTERM/SIGINT, then drains in-flight requests for up to shutdown_timeout. */
final class ServeUntilSignal {
  private ServeUntilSignal() {}

  /**
   * Configures logging, starts the proxy and blocks until it has stopped.
   *
   * @param afterStop runs after the proxy has drained (e.g. stopping a demo upstream)
   * @return 0 when every in-flight request finished in time, 1 otherwise
   */
  static int serve(ProxyConfig c, ProxyServer.Options options, LogSetup.Format formatOverride, Runnable afterStop)
      throws Exception {
    LogSetup.configure(Level.toLevel(c.logLevel().name()),
        formatOverride != null ? formatOverride : LogSetup.Format.valueOf(c.logFormat().name()));
    // The hook goes in before the listeners open, so no signal can slip between "ready" and "hooked".
    AtomicReference<ProxyServer> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(
        new Thread(() -> stopOnSignal(running.get(), afterStop), "mcptunnel-shutdown"));
    ProxyServer server = ProxyServer.start(c, options);
    running.set(server);
    return server.stopped().join() ? 0 : 1;
  }

  /**
   * Runs in the JVM's shutdown sequence. {@code shutdown()} blocks until in-flight requests finish
   * (bounded by shutdown_timeout), so the JVM cannot exit under them. The JVM would then end a
   * signal-initiated exit with status 128+signal; a clean drain is a success for the operator and
   * the orchestrator, so the exit status is set here: 0 when clean, 1 when requests were cut off.
   */
  private static void stopOnSignal(ProxyServer server, Runnable afterStop) {
    if (server == null) {
      return; // stopped before or while starting: nothing in flight, keep the JVM's own exit status
    }
    boolean clean = server.shutdown();
    afterStop.run();
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(clean ? 0 : 1);
  }
}
