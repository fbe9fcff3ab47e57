package io.mcptunnel.cli;

import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyType;
import io.mcptunnel.pki.TunnelCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mcptunnel pki issue-server-cert}: the proxy's certificate, signed directly by the CA. */
@Command(name = "issue-server-cert",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Issue the proxy's server certificate for <domain> and *.<domain>, signed directly by",
        "the tunnel CA, and check it against the SPEC 4.1 server-certificate rules before writing."})
public final class PkiIssueServerCertCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  PkiOutputFiles files;

  @Option(names = "--ca-cert", required = true, paramLabel = "FILE", description = "The CA certificate (PEM).")
  Path caCert;

  @Option(names = "--ca-key", required = true, paramLabel = "FILE", description = "The CA's private key (PEM).")
  Path caKey;

  @Mixin
  CaKeyPassphraseOption caKeyPassphrase;

  @Option(names = "--domain", required = true, paramLabel = "DOMAIN",
      description = "The tunnel domain; the certificate names it and *.DOMAIN.")
  String domain;

  @Option(names = "--san", paramLabel = "NAME",
      description = "An extra DNS name (repeatable; a leading *. is allowed).")
  List<String> extraNames = new ArrayList<>();

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "2160h",
      converter = GoDurationConverter.class,
      description = "How long the certificate is valid, Go syntax (default: ${DEFAULT-VALUE}, 90 days).")
  Duration duration;

  @Option(names = "--key-type", paramLabel = "TYPE", defaultValue = "rsa-4096",
      converter = KeyTypeConverter.class,
      description = "rsa-4096, rsa-3072, rsa-2048, ecdsa-p256 or ecdsa-p384 (default: ${DEFAULT-VALUE}).")
  KeyType keyType;

  @Override
  public Integer call() {
    // Every cheap check first: names, existing files, the CA; only then the (slow) key.
    TunnelCertificates.serverNames(domain, extraNames);
    files.checkWritable();
    // tls.key is never encrypted: the proxy must read it unattended.
    IssuedCertificate ca = caKeyPassphrase.with(passphrase -> TunnelCertificates.loadCa(caCert, caKey, passphrase));
    IssuedCertificate server =
        TunnelCertificates.newServerCertificate(ca, domain, extraNames, keyType, duration);
    files.write(server, "server", spec.commandLine().getOut());
    return 0;
  }
}
