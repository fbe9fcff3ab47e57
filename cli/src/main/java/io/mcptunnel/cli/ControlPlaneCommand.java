package io.mcptunnel.cli;

import io.mcptunnel.controlplane.api.ControlPlaneConfigParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel control-plane}: the Tunnels API and the workload token exchange. */
@Command(name = "control-plane",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run or check the control plane (Tunnels API, workload token exchange).",
    subcommands = {ControlPlaneRunCommand.class, ControlPlaneCommand.Check.class})
public final class ControlPlaneCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  /** {@code --config FILE}, shared by the control-plane subcommands as a mixin. */
  public static final class ConfigFile {
    @Option(names = "--config", paramLabel = "FILE",
        defaultValue = "/etc/mcptunnel/control-plane.yaml",
        description = "Control-plane configuration file (default: ${DEFAULT-VALUE}).")
    Path file = ControlPlaneConfigParser.DEFAULT_PATH;

    ControlPlaneConfigParser.Parsed load() {
      return ControlPlaneConfigParser.parse(file, System::getenv);
    }
  }

  /** {@code mcptunnel control-plane check}: validates the file and prints the effective settings, no secrets. */
  @Command(name = "check",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Validate the control-plane configuration, then print the effective configuration.")
  public static final class Check implements Callable<Integer> {
    @Mixin
    ConfigFile config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      ControlPlaneConfigParser.Parsed parsed = config.load();
      PrintWriter out = spec.commandLine().getOut();
      out.println("config OK: " + config.file);
      out.println("# " + parsed.config());
      out.println("# log_level=" + parsed.logLevel().name().toLowerCase() + " log_format="
          + parsed.logFormat().name().toLowerCase());
      out.flush();
      return 0;
    }
  }
}
