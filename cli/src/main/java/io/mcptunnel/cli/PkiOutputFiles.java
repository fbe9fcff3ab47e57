package io.mcptunnel.cli;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.TunnelCertificates;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cert-out}, {@code --key-out} and {@code --force} options the issuing commands share. */
final class PkiOutputFiles {
  @Option(names = "--cert-out", required = true, paramLabel = "FILE",
      description = "Where the certificate is written (PEM, mode 0644).")
  Path certOut;

  @Option(names = "--key-out", required = true, paramLabel = "FILE",
      description = "Where the private key is written (PKCS#8 PEM, mode 0600).")
  Path keyOut;

  @Option(names = "--force",
      description = "Replace existing files (by default an existing file is never overwritten).")
  boolean force;

  /** Fails before any key is generated, so a refused run costs nothing. */
  void checkWritable() {
    if (force) {
      return;
    }
    for (Path file : new Path[] {certOut, keyOut}) {
      if (Files.exists(file)) {
        throw new McptunnelException(file + ": already exists; pass --force to replace it");
      }
    }
  }

  /** Writes both files and prints what was written; never the key itself. */
  void write(IssuedCertificate issued, String what, PrintWriter out) {
    write(issued, what, null, out);
  }

  /** {@link #write(IssuedCertificate, String, PrintWriter)}, the key encrypted unless {@code passphrase} is null. */
  void write(IssuedCertificate issued, String what, KeyPassphrase passphrase, PrintWriter out) {
    TunnelCertificates.write(issued, certOut, keyOut, force, passphrase);
    out.printf("%s certificate: %s%n", what, certOut);
    out.printf("%s key:         %s (mode 0600, %s)%n", what, keyOut,
        passphrase == null ? "keep it private" : "encrypted with the passphrase");
    out.printf("subject:             %s%n", issued.certificate().getSubjectX500Principal().getName());
    out.printf("SHA-256 fingerprint: %s%n", Fingerprints.sha256Hex(issued.certificate()));
    out.printf("expires:             %s%n", issued.certificate().getNotAfter().toInstant());
    out.flush();
  }
}
