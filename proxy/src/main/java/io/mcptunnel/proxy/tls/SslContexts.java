package io.mcptunnel.proxy.tls;

import io.mcptunnel.pki.TlsMaterial;
import io.mcptunnel.pki.PemFiles;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Builds the proxy's TLS contexts: the inner-TLS server and the client for https upstreams. */
public final class SslContexts {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final SecureRandom RANDOM = new SecureRandom();

  private SslContexts() {}

  /** BoringSSL where its native library loads (much cheaper handshakes and AES-GCM), the JDK otherwise. */
  public static SslProvider provider() {
    return OpenSsl.isAvailable() && !Boolean.getBoolean("mcptunnel.tls.jdk") ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /**
   * The inner-TLS server context. With BoringSSL, session tickets are switched on with fresh random
   * keys so callers can resume (TLS 1.3 resumes only by ticket); a new context after a certificate
   * reload gets new keys, so no session outlives the certificate it was made with.
   */
  public static SslContext server(TlsMaterial material) throws SSLException {
    SslContext ctx = SslContextBuilder.forServer(material.key(), material.chain())
        .sslProvider(provider())
        .protocols(PROTOCOLS)
        .build();
    if (ctx.sessionContext() instanceof OpenSslServerSessionContext openssl) {
      byte[] name = new byte[16];
      byte[] hmac = new byte[16];
      byte[] aes = new byte[16];
      RANDOM.nextBytes(name);
      RANDOM.nextBytes(hmac);
      RANDOM.nextBytes(aes);
      openssl.setTicketKeys(new OpenSslSessionTicketKey(name, hmac, aes));
    }
    return ctx;
  }

  /** The client context for https upstreams: trusts {@code ca_file} and, if asked, the system CAs. */
  public static SslContext upstreamClient(Optional<Path> caFile, boolean includeSystemCas) throws SSLException {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      if (caFile.isPresent()) {
        for (X509Certificate ca : PemFiles.readCertificates(caFile.get())) {
          trust.setCertificateEntry("ca-file-" + i++, ca);
        }
      }
      if (includeSystemCas) {
        for (X509Certificate ca : systemCas()) {
          trust.setCertificateEntry("system-" + i++, ca);
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      return SslContextBuilder.forClient()
          .sslProvider(provider())
          .protocols(PROTOCOLS)
          .trustManager(tmf)
          .endpointIdentificationAlgorithm("HTTPS")
          .build();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new SSLException("upstream.tls: cannot build the trust store: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> systemCas() throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    List<X509Certificate> out = new ArrayList<>();
    for (var tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        out.addAll(List.of(x.getAcceptedIssuers()));
      }
    }
    return out;
  }
}
