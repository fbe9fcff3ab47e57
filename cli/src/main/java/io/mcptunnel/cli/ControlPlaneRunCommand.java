package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.controlplane.api.ControlPlaneConfigParser;
import io.mcptunnel.controlplane.api.ControlPlaneServer;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcptunnel control-plane run}: serves the API until SIGTERM/SIGINT, then stops the
 * listener and closes the database. Federation rules are in memory (empty) until the persistent
 * directory lands, so token exchanges are refused for now.
 */
@Command(name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the control plane until SIGTERM or SIGINT, then shut down.")
public final class ControlPlaneRunCommand implements Callable<Integer> {

  @Mixin
  ControlPlaneCommand.ConfigFile config;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "Log format, json or text, overriding log_format in the config.")
  LogSetup.Format logFormat;

  @Override
  public Integer call() throws Exception {
    // Loaded before logging and the shutdown hook: a bad file is one stderr line, exit 1.
    ControlPlaneConfigParser.Parsed parsed = config.load();
    LogSetup.configure(Level.toLevel(parsed.logLevel().name()),
        logFormat != null ? logFormat : LogSetup.Format.valueOf(parsed.logFormat().name()));
    return RunUntilSignal.run(() -> {
      ControlPlaneServer server = new ControlPlaneServer(parsed.config(), IssuerUrlPolicy.PRODUCTION,
          Clock.systemUTC());
      server.start();
      return server;
    }, server -> {
      server.close();
      return true;
    }, ControlPlaneServer::closed);
  }
}
