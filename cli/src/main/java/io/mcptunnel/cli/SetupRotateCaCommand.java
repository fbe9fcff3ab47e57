package io.mcptunnel.cli;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.setup.RotateCa;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcptunnel setup rotate-ca}: zero-downtime CA rotation through the two certificate slots. */
@Command(name = "rotate-ca", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Register a new CA next to the current one, wait for callers to trust it, switch the server"
        + " certificate to it, confirm, wait for proxies to serve it, then archive the old CA."
        + " Same authentication environment as setup init.")
final class SetupRotateCaCommand implements Callable<Integer> {
  @Mixin
  SetupCommand.Api api;

  @Mixin
  SetupCommand.OutputOption output;

  @Mixin
  CaKeyPassphraseOption caKeyPassphrase;

  @Option(names = "--cert-duration", defaultValue = "2160h", converter = GoDurationConverter.class,
      paramLabel = "DURATION", description = "New server certificate's validity (default: ${DEFAULT-VALUE}).")
  Duration certDuration;

  @Option(names = "--keep-old",
      description = "Leave the old CA registered (archive it yourself once every proxy serves the new certificate).")
  boolean keepOld;

  @Option(names = "--trust-wait", defaultValue = "15s", converter = WaitConverter.class,
      paramLabel = "DURATION", description = "Wait after registering the new CA, before switching the server"
          + " certificate: callers refresh their CA lists within 5s, edges within 1s (default: ${DEFAULT-VALUE}).")
  Duration trustWait;

  @Option(names = "--switch-wait", defaultValue = "2m", converter = WaitConverter.class,
      paramLabel = "DURATION", description = "Wait after writing the new server certificate, before archiving the"
          + " old CA: proxies poll their files every 5s, Kubernetes Secret volumes can take a minute or more"
          + " (default: ${DEFAULT-VALUE}). Not used with --keep-old.")
  Duration switchWait;

  /** Go-style durations where {@code 0s} (no wait) is allowed too. */
  static final class WaitConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        Duration d = GoDuration.parse(value);
        if (d.isNegative()) {
          throw new TypeConversionException("\"" + value + "\" must not be negative");
        }
        return d;
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** How the waits pass; tests substitute their own. */
  static RotateCa.Sleeper sleeper = RotateCa.Sleeper.REAL;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (SetupCommand.OutputOption target = output) {
      // Each step is flushed as it happens: the waits make a run last minutes.
      caKeyPassphrase.with(passphrase -> new RotateCa(Clock.systemUTC(), line -> {
        out.println(line);
        out.flush();
      }, sleeper).run(new RotateCa.Options(api.endpoint(), api.credentials(), target.open(), certDuration, keepOld,
          trustWait, switchWait, passphrase)));
    }
    out.flush();
    return 0;
  }
}
