package io.mcptunnel.cli;

import io.mcptunnel.setup.RotateCa;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcptunnel setup rotate-ca}: zero-downtime CA rotation through the two certificate slots. */
@Command(name = "rotate-ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Register a new CA next to the current one, switch the server certificate to it, confirm,"
        + " then archive the old CA. Same authentication environment as setup init.")
final class SetupRotateCaCommand implements Callable<Integer> {
  @Mixin
  SetupCommand.Api api;

  @Mixin
  SetupCommand.OutputOption output;

  @Option(names = "--cert-duration", defaultValue = "2160h", converter = GoDurationConverter.class,
      paramLabel = "DURATION", description = "New server certificate's validity (default: ${DEFAULT-VALUE}).")
  Duration certDuration;

  @Option(names = "--keep-old",
      description = "Leave the old CA registered (archive it yourself once every proxy serves the new certificate).")
  boolean keepOld;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SetupCommand.OutputOption target = output) {
      new RotateCa(Clock.systemUTC(), out::println).run(
          new RotateCa.Options(api.endpoint(), api.credentials(), target.open(), certDuration, keepOld));
    }
    out.flush();
    return 0;
  }
}
