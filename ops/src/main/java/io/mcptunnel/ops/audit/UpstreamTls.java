package io.mcptunnel.ops.audit;

import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.config.ProxyConfig;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The trust the proxy uses for {@code https://} upstreams: {@code upstream.tls.ca_file} and/or the system CAs. */
final class UpstreamTls {
  private UpstreamTls() {}

  static SSLContext context(ProxyConfig config) throws GeneralSecurityException {
    List<X509Certificate> anchors = new ArrayList<>();
    config.upstreamCaFile().ifPresent(f -> anchors.addAll(PemFiles.readCertificates(f)));
    if (config.includeSystemCas()) {
      TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      system.init((KeyStore) null);
      for (var tm : system.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          anchors.addAll(List.of(x.getAcceptedIssuers()));
        }
      }
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < anchors.size(); i++) {
      store.setCertificateEntry("anchor-" + i, anchors.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
