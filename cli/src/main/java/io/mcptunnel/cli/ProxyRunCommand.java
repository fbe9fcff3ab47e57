package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcptunnel proxy run}: starts the proxy and serves until SIGTERM/SIGINT, then drains
 * in-flight requests for up to {@code shutdown_timeout}. Stdout carries only log lines.
 */
@Command(name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the proxy until SIGTERM or SIGINT, then shut down gracefully.")
public final class ProxyRunCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--cert-poll-interval", paramLabel = "DURATION", defaultValue = "5s",
      converter = GoDurationConverter.class,
      description = "How often to re-read tls.cert_file/tls.key_file for hot reload (default: ${DEFAULT-VALUE}).")
  Duration certPollInterval;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "Log format, json or text, overriding log_format in the config.")
  LogSetup.Format logFormat;

  @Override
  public Integer call() throws Exception {
    ProxyConfig c = config.load();
    LogSetup.configure(Level.toLevel(c.logLevel().name()),
        logFormat != null ? logFormat : LogSetup.Format.valueOf(c.logFormat().name()));
    // The hook goes in before the listeners open, so no signal can slip between "ready" and "hooked".
    AtomicReference<ProxyServer> running = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopOnSignal(running.get()), "mcptunnel-shutdown"));
    ProxyServer server = ProxyServer.start(c,
        ProxyServer.Options.defaults().withCertPollInterval(certPollInterval));
    running.set(server);
    return server.stopped().join() ? 0 : 1;
  }

  /**
   * Runs in the JVM's shutdown sequence. {@code shutdown()} blocks until in-flight requests finish
   * (bounded by shutdown_timeout), so the JVM cannot exit under them. The JVM would then end a
   * signal-initiated exit with status 128+signal; a clean drain is a success for the operator and
   * the orchestrator, so the exit status is set here: 0 when clean, 1 when requests were cut off.
   */
  private static void stopOnSignal(ProxyServer server) {
    if (server == null) {
      return; // stopped before or while starting: nothing in flight, keep the JVM's own exit status
    }
    boolean clean = server.shutdown();
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(clean ? 0 : 1);
  }
}
