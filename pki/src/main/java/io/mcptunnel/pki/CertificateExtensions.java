package io.mcptunnel.pki;

import java.io.IOException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/** Reads the key-identifier extensions the JDK exposes only as raw DER. */
final class CertificateExtensions {
  private CertificateExtensions() {}

  /** The SubjectKeyIdentifier, or null when absent or malformed. */
  static byte[] subjectKeyIdentifier(X509Certificate certificate) {
    byte[] der = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (der == null) {
      return null;
    }
    try {
      return SubjectKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(der))
          .getKeyIdentifier();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The keyIdentifier field of AuthorityKeyIdentifier, or null when absent or malformed. */
  static byte[] authorityKeyIdentifier(X509Certificate certificate) {
    byte[] der = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    if (der == null) {
      return null;
    }
    try {
      return AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(der))
          .getKeyIdentifierOctets();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
