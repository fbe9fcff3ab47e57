package io.mcptunnel.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A certificate together with its private key, e.g. the tunnel CA that signs server certs. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /** Names the certificate only; the private key must never reach a log line. */
  @Override
  public String toString() {
    return "IssuedCertificate[subject="
        + certificate.getSubjectX500Principal().getName()
        + ", serial="
        + certificate.getSerialNumber().toString(16)
        + ", notAfter="
        + certificate.getNotAfter().toInstant()
        + ", privateKey=<redacted "
        + privateKey.getAlgorithm()
        + " key>]";
  }
}
