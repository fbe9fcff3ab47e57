package io.mcptunnel.cli;

import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.proxy.ProxyServer;
import java.time.Duration;
import java.util.concurrent.Callable;
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

  @Option(names = "--idle-session-timeout", paramLabel = "DURATION", defaultValue = "10m",
      converter = GoDurationConverter.class,
      description = "Close an inner session that has had no request in flight and no traffic for this long "
          + "(default: ${DEFAULT-VALUE}).")
  Duration idleSessionTimeout;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "Log format, json or text, overriding log_format in the config.")
  LogSetup.Format logFormat;

  @Option(names = "--pid-file", paramLabel = "FILE",
      description = "Write this process's id here (atomically) and remove it on a clean exit; "
          + "mcptunnel incident/teardown --pid-file stop it.")
  java.nio.file.Path pidFile;

  @Override
  public Integer call() throws Exception {
    ProxyServer.Options options = ProxyServer.Options.defaults()
        .withCertPollInterval(certPollInterval)
        .withIdleSessionTimeout(idleSessionTimeout);
    var loaded = config.load();
    Runnable removePidFile = PidFile.write(pidFile);
    try {
      return ServeUntilSignal.serve(loaded, options, logFormat, removePidFile);
    } finally {
      removePidFile.run();
    }
  }
}
