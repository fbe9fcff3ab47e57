package io.mcptunnel.cli;

import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyType;
import io.mcptunnel.pki.TunnelCertificates;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcptunnel pki create-ca}: a self-signed tunnel CA meeting every SPEC 4.1 CA rule. */
@Command(name = "create-ca",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Create a self-signed tunnel CA (critical basicConstraints CA:TRUE, subjectKeyIdentifier,",
        "keyUsage keyCertSign+cRLSign, SHA-256). Register the certificate, never the key."})
public final class PkiCreateCaCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  PkiOutputFiles files;

  @Mixin
  CaKeyPassphraseOption caKeyPassphrase;

  @Option(names = "--common-name", paramLabel = "NAME", defaultValue = "mcptunnel tunnel CA",
      description = "Subject CN of the CA (default: ${DEFAULT-VALUE}).")
  String commonName;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "43800h",
      converter = GoDurationConverter.class,
      description = "How long the CA is valid, Go syntax (default: ${DEFAULT-VALUE}, 5 years).")
  Duration duration;

  @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "ecdsa-p256",
      converter = KeyTypeConverter.class,
      description = "ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072 or rsa-4096 (default: ${DEFAULT-VALUE}).")
  KeyType keyType;

  @Override
  public Integer call() {
    files.checkWritable();
    return caKeyPassphrase.with(passphrase -> {
      IssuedCertificate ca = TunnelCertificates.newCa(commonName, keyType, duration);
      files.write(ca, "CA", passphrase, spec.commandLine().getOut());
      return 0;
    });
  }
}
