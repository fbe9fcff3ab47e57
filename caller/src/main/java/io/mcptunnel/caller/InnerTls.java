package io.mcptunnel.caller;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The caller's side of the inner TLS: the proxy's certificate must meet the server-certificate rules
 * against the tunnel's registered CA certificates ({@link ProxyCertificateTrust}) and name the host,
 * so neither the edge nor the connector can stand in for the proxy. One context per tunnel lets TLS
 * sessions be resumed.
 */
public final class InnerTls {
  private InnerTls() {}

  public static SslContext forTunnel(List<X509Certificate> activeCas) throws SSLException {
    if (activeCas.isEmpty()) {
      throw new SSLException("the tunnel has no active CA certificate: nothing to verify the proxy against");
    }
    return SslContextBuilder.forClient()
        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2")
        .trustManager(new ProxyCertificateTrust(activeCas))
        .endpointIdentificationAlgorithm("HTTPS")
        .build();
  }
}
