package io.mcptunnel.controlplane.api;

import io.mcptunnel.pki.PemFiles;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The API listener's TLS from PEM files (the form operators have), turned into the in-memory key
 * store Jetty wants. TLS 1.2 and 1.3 only; no client certificates (callers authenticate with
 * bearer tokens).
 */
final class ListenerTls {
  private ListenerTls() {}

  static SslContextFactory.Server load(ControlPlaneConfig.TlsFiles files) {
    List<X509Certificate> chain = PemFiles.readCertificates(files.certFile());
    PrivateKey key = PemFiles.readPrivateKey(files.keyFile());
    if (chain.isEmpty() || !PemFiles.keyMatchesCertificate(key, chain.get(0))) {
      throw new IllegalArgumentException("tls.key_file: " + files.keyFile()
          + " does not match the first certificate of " + files.certFile());
    }
    // A random password for a key store that only ever lives in this process's memory.
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    char[] password = Base64.getEncoder().encodeToString(random).toCharArray();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("api", key, password, chain.toArray(new X509Certificate[0]));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(store);
      ssl.setKeyStorePassword(new String(password));
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      return ssl;
    } catch (java.security.GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot load the listener key: " + e.getClass().getSimpleName());
    }
  }
}
