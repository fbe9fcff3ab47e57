package io.mcptunnel.cli;

import io.mcptunnel.setup.SetupInit;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mcptunnel setup init}: create or attach to a tunnel and write its credentials. */
@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Create (or reuse, or attach to) a tunnel, register a new CA, issue the server certificate,"
        + " fetch the token, and write tunnel-id, tunnel-domain, tunnel-token, ca.crt, ca.key, tls.crt, tls.key,"
        + " token-version.",
        "Authenticates with ANTHROPIC_FEDERATION_RULE_ID, ANTHROPIC_ORGANIZATION_ID, ANTHROPIC_WORKSPACE_ID"
        + " (optional) and one of ANTHROPIC_IDENTITY_TOKEN_FILE / ANTHROPIC_IDENTITY_TOKEN."})
final class SetupInitCommand implements Callable<Integer> {
  @Mixin
  SetupCommand.Api api;

  @Mixin
  SetupCommand.OutputOption output;

  @Mixin
  CaKeyPassphraseOption caKeyPassphrase;

  @Option(names = "--tunnel-id", paramLabel = "ID",
      description = "Attach to this existing tunnel (env TUNNEL_ID); default: the stored one, else create.")
  String tunnelId;

  @Option(names = "--cert-duration", defaultValue = "2160h", converter = GoDurationConverter.class,
      paramLabel = "DURATION", description = "Server certificate validity (default: ${DEFAULT-VALUE}).")
  Duration certDuration;

  @Option(names = "--token-version", paramLabel = "VERSION",
      description = "Rotate the tunnel token when this differs from the stored token-version.")
  String tokenVersion;

  @Option(names = "--sever-existing",
      description = "With a rotation (--token-version): every edge also drops the tunnel's live connections"
          + " made with older tokens, within a second (breach runbook: rotate and kill).")
  boolean severExisting;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (severExisting && tokenVersion == null) {
      throw new ParameterException(spec.commandLine(),
          "--sever-existing requires --token-version (severing happens with a rotation)");
    }
    String id = tunnelId != null ? tunnelId : SetupCommand.environment.apply("TUNNEL_ID");
    try (SetupCommand.OutputOption target = output) {
      caKeyPassphrase.with(passphrase -> new SetupInit(Clock.systemUTC(), out::println).run(
          new SetupInit.Options(api.endpoint(), api.credentials(), target.open(),
              id == null || id.isBlank() ? null : id.trim(), certDuration, tokenVersion, severExisting,
              passphrase)));
    }
    out.flush();
    return 0;
  }
}
