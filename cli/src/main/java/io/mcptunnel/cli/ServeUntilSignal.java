package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfig;

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
    return RunUntilSignal.run(() -> ProxyServer.start(c, options), server -> {
      boolean clean = server.shutdown();
      afterStop.run();
      return clean;
    }, ProxyServer::stopped);
  }
}
