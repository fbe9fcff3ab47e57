package io.mcptunnel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel caller}: the AI backend's side of the tunnel. */
@Command(name = "caller",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Reach MCP servers behind tunnels from the caller's side.",
    subcommands = CallerGatewayCommand.class)
public final class CallerCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
