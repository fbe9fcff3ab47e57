package io.mcptunnel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel proxy}: the MCP proxy that sits beside the connector. */
@Command(name = "proxy",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run, check or demo the MCP proxy, or suggest its allowed_ips.",
    subcommands = {ProxyRunCommand.class, ProxyCheckCommand.class, ProxySuggestAllowedIpsCommand.class,
        ProxyDemoCommand.class})
public final class ProxyCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
