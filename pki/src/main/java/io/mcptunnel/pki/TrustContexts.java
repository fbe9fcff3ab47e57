package io.mcptunnel.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS client contexts for HTTP clients that must trust a private CA instead of the JVM's store. */
public final class TrustContexts {
  private TrustContexts() {}

  /** A context trusting exactly {@code cas} (host names are still checked by the client). */
  public static SSLContext trusting(List<X509Certificate> cas) {
    if (cas.isEmpty()) {
      throw new PkiException("no CA certificate to trust");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new PkiException("cannot trust the CA certificates: " + e.getMessage(), e);
    }
  }
}
