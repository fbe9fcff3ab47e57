package io.mcptunnel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root of the command tree; each part of the system is a subcommand. */
@Command(name = "mcptunnel",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Self-hostable MCP tunnel.",
    subcommands = {ProxyCommand.class, ConnectorCommand.class, EdgeCommand.class, CallerCommand.class,
        CallCommand.class, ControlPlaneCommand.class, AdminCommand.class, PkiCommand.class, SetupCommand.class,
        QuickstartCommand.class, SampleServerCommand.class,
        AuditCommand.class, FirewallCommand.class, MonitorCommand.class, IncidentCommand.class,
        TeardownCommand.class})
public final class McptunnelCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    // A bare group name is a usage error (exit 2), not a silent success.
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
