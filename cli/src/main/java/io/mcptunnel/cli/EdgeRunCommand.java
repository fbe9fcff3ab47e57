package io.mcptunnel.cli;

import io.mcptunnel.cli.logging.LogSetup;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mcptunnel edge run}: starts the edge and serves until SIGTERM/SIGINT, then closes the
 * listeners and connections and exits 0. Stdout carries only log lines.
 */
@Command(name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the edge until SIGTERM or SIGINT, then shut down.")
public final class EdgeRunCommand implements Callable<Integer> {
  @Mixin
  EdgeCommand.ConfigFile config;

  @Option(names = "--log-format", paramLabel = "FORMAT",
      description = "Log format, json or text, overriding log_format in the config.")
  LogSetup.Format logFormat;

  @Override
  public Integer call() throws Exception {
    // Loaded before logging and the shutdown hook are set up: a bad file is one stderr line, exit 1.
    return EdgeServe.serve(config.load(), logFormat);
  }
}
