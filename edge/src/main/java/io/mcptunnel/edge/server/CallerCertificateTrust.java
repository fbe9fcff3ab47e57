package io.mcptunnel.edge.server;

import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.PkiException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies callers' client certificates against the caller CAs with the JDK's PKIX rules (a chain
 * to one of them, validity, digitalSignature and clientAuth where the certificate restricts its
 * usage). Its refusal names the certificate by subject and SHA-256, which is what an operator needs
 * to find it; the JDK's own message does not. It verifies clients only: the edge never dials out
 * with it.
 */
final class CallerCertificateTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final List<X509Certificate> cas;

  CallerCertificateTrust(List<X509Certificate> cas) {
    this.cas = List.copyOf(cas);
    this.pkix = pkix(this.cas);
  }

  private static X509ExtendedTrustManager pkix(List<X509Certificate> cas) {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        anchors.setCertificateEntry("caller-ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(anchors);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new PkiException("the JDK offers no X.509 trust manager for the caller CAs");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PkiException("cannot use the caller CAs: " + e.getMessage(), e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw refused(chain, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw refused(chain, e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType);
    } catch (CertificateException e) {
      throw refused(chain, e);
    }
  }

  private static CertificateException refused(X509Certificate[] chain, CertificateException cause) {
    String which = chain == null || chain.length == 0 ? "(none)"
        : chain[0].getSubjectX500Principal().getName() + " sha256 " + Fingerprints.sha256Hex(chain[0]);
    return new CertificateException("client certificate " + which + " refused by the caller CAs: "
        + cause.getMessage(), cause);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the caller CAs verify client certificates only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("the caller CAs verify client certificates only");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the caller CAs verify client certificates only");
  }

  /** Sent in the certificate request, so a caller's TLS stack can pick the right certificate. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return cas.toArray(X509Certificate[]::new);
  }

  @Override
  public String toString() {
    return "CallerCertificateTrust" + Arrays.toString(cas.stream().map(c -> c.getSubjectX500Principal().getName())
        .toArray());
  }
}
