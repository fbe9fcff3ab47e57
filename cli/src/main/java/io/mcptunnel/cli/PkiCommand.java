package io.mcptunnel.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel pki}: the tunnel CA and server certificate by hand, without openssl. */
@Command(name = "pki",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Create a tunnel CA, issue the proxy's server certificate, verify them (SPEC 4.1).",
        "The same rules the control plane, setup and the caller apply."},
    subcommands = {PkiCreateCaCommand.class, PkiIssueServerCertCommand.class, PkiVerifyCommand.class})
public final class PkiCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
