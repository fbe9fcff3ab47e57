package io.mcptunnel.edge.server;

import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.PkiException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code caller_tls.client_ca_file}: the PEM bundle of CA certificates that issue caller client
 * certificates. Every entry must be a CA certificate: a leaf put there by mistake would become a
 * trust anchor, i.e. a certificate that vouches for itself.
 */
final class CallerCaFile {
  static final String FIELD = "caller_tls.client_ca_file";

  private CallerCaFile() {}

  static List<X509Certificate> load(Path file) {
    List<X509Certificate> cas;
    try {
      cas = PemFiles.readCertificates(file);
    } catch (PkiException e) {
      throw new PkiException(FIELD + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < cas.size(); i++) {
      X509Certificate ca = cas.get(i);
      if (ca.getBasicConstraints() < 0) {
        throw new PkiException(FIELD + ": certificate " + (i + 1) + " in " + file + " ("
            + ca.getSubjectX500Principal().getName() + ") is not a CA certificate (expected basicConstraints CA:TRUE)");
      }
    }
    return cas;
  }
}
