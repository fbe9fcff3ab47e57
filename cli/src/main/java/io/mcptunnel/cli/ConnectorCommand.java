package io.mcptunnel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel connector}: dials the edges outbound and relays their streams to the proxy. */
@Command(name = "connector",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run the connector that joins the proxy to the edges (outbound connections only).",
    subcommands = ConnectorRunCommand.class)
public final class ConnectorCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
