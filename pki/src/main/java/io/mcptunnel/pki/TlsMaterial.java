package io.mcptunnel.pki;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A server certificate chain and its private key, loaded from PEM files and checked to belong together. */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key) {

  public TlsMaterial {
    chain = List.copyOf(chain);
  }

  /**
   * Loads and checks the pair. Errors name the file and cause, e.g.
   * {@code open /data/tls.key: permission denied}.
   */
  public static TlsMaterial load(Path certFile, Path keyFile) {
    List<X509Certificate> chain = PemFiles.readCertificates(certFile);
    PrivateKey key = PemFiles.readPrivateKey(keyFile);
    if (!PemFiles.keyMatchesCertificate(key, chain.get(0))) {
      throw new PkiException("tls: private key " + keyFile + " does not match the certificate in " + certFile);
    }
    return new TlsMaterial(chain, key);
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public Instant notAfter() {
    return leaf().getNotAfter().toInstant();
  }

  public String fingerprint() {
    return Fingerprints.sha256Hex(leaf());
  }

  @Override
  public String toString() {
    return "TlsMaterial[subject=" + leaf().getSubjectX500Principal() + ", sha256=" + fingerprint() + "]";
  }
}
