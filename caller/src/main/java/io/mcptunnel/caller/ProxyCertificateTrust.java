package io.mcptunnel.caller;

import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.pki.ValidationResult;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a proxy certificate only under the server-certificate rules of SPEC §4.1: signed directly
 * by one of the tunnel's active CAs (no intermediates), authority key id matching that CA, SAN
 * covering the host dialled, serverAuth if an extended key usage is present, within validity, strong
 * keys and signatures. Stricter than PKIX path building, and the same rules setup and audit apply.
 */
final class ProxyCertificateTrust extends X509ExtendedTrustManager {
  private final List<X509Certificate> activeCas;

  ProxyCertificateTrust(List<X509Certificate> activeCas) {
    this.activeCas = List.copyOf(activeCas);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain, engine == null ? null : engine.getPeerHost());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("the inner TLS runs on an engine; the host to check is unknown here");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the inner TLS runs on an engine; the host to check is unknown here");
  }

  private void check(X509Certificate[] chain, String host) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the proxy sent no certificate");
    }
    if (host == null || host.isBlank()) {
      throw new CertificateException("no host to check the proxy certificate against");
    }
    ValidationResult r = ServerCertificateValidator.validate(chain[0], activeCas, host, Instant.now());
    if (!r.valid()) {
      String message = "proxy certificate refused: " + r.failure();
      throw ServerCertificateValidator.NOT_SIGNED_BY_REGISTERED_CA.equals(r.failure())
          ? new UnknownIssuer(message) : new CertificateException(message);
    }
  }

  /** The proxy's certificate is signed by none of the CAs it was checked against: possibly a newer CA. */
  static final class UnknownIssuer extends CertificateException {
    UnknownIssuer(String message) {
      super(message);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the caller does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("the caller does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the caller does not accept client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return activeCas.toArray(new X509Certificate[0]);
  }
}
