package io.mcptunnel.caller;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.pki.PemFiles;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/** The outer TLS from caller to edge: the edge's name is always checked; a client certificate is optional. */
public final class CallerTls {
  private CallerTls() {}

  /**
   * @param edgeCa PEM CA certificates trusted for the edge, or the system CAs when empty
   * @param clientCert with {@code clientKey}: the caller's certificate for edges that use mutual TLS
   */
  public static SslContext edgeClient(Optional<Path> edgeCa, Optional<Path> clientCert, Optional<Path> clientKey) {
    if (clientCert.isPresent() != clientKey.isPresent()) {
      throw new McptunnelException("a client certificate needs its key, and a key its certificate");
    }
    try {
      SslContextBuilder b = SslContextBuilder.forClient()
          .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .endpointIdentificationAlgorithm("HTTPS");
      if (edgeCa.isPresent()) {
        b.trustManager(PemFiles.readCertificates(edgeCa.get()).toArray(X509Certificate[]::new));
      }
      if (clientCert.isPresent()) {
        List<X509Certificate> chain = PemFiles.readCertificates(clientCert.get());
        PrivateKey key = PemFiles.readPrivateKey(clientKey.get());
        if (chain.isEmpty() || !PemFiles.keyMatchesCertificate(key, chain.get(0))) {
          throw new McptunnelException("client certificate " + clientCert.get() + " does not match key "
              + clientKey.get());
        }
        b.keyManager(key, chain.toArray(X509Certificate[]::new));
      }
      return b.build();
    } catch (McptunnelException e) {
      throw e;
    } catch (Exception e) {
      throw new McptunnelException("cannot build the TLS context toward the edge: " + e.getMessage(), e);
    }
  }
}
