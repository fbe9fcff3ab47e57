package io.mcptunnel.cli;

import io.mcptunnel.setup.RenewCert;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcptunnel setup renew-cert}: a fresh server certificate from the stored CA, offline. */
@Command(name = "renew-cert", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Sign a new server certificate (tls.crt, tls.key) with the stored CA for the stored domain;"
        + " no API call. Does nothing while more than --renew-before of validity remains.")
final class SetupRenewCertCommand implements Callable<Integer> {
  /** Tests move time forward. */
  static Clock clock = Clock.systemUTC();

  @Mixin
  SetupCommand.OutputOption output;

  @Mixin
  CaKeyPassphraseOption caKeyPassphrase;

  @Option(names = "--cert-duration", defaultValue = "2160h", converter = GoDurationConverter.class,
      paramLabel = "DURATION", description = "New certificate's validity (default: ${DEFAULT-VALUE}).")
  Duration certDuration;

  @Option(names = "--renew-before", defaultValue = "720h", converter = GoDurationConverter.class,
      paramLabel = "DURATION", description = "Renew when less than this remains (default: ${DEFAULT-VALUE}).")
  Duration renewBefore;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SetupCommand.OutputOption target = output) {
      caKeyPassphrase.with(passphrase -> new RenewCert(clock, out::println)
          .run(new RenewCert.Options(target.open(), certDuration, renewBefore, passphrase)));
    }
    out.flush();
    return 0;
  }
}
