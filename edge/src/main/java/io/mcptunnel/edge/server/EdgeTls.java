package io.mcptunnel.edge.server;

import io.mcptunnel.pki.PkiException;
import io.mcptunnel.pki.TlsMaterial;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The edge's own certificate and key (one pair for both listeners), checked to belong together,
 * the CA certificates that issue caller client certificates (none = callers use keys only), and
 * the two server contexts built from them.
 */
public record EdgeTls(TlsMaterial material, List<X509Certificate> callerCas) {
  public EdgeTls {
    callerCas = List.copyOf(callerCas);
  }

  /** Loads and checks the pair; errors name the file, e.g. {@code open /etc/mcptunnel/edge.key: permission denied}. */
  public static EdgeTls load(Path certFile, Path keyFile) {
    return load(certFile, keyFile, Optional.empty());
  }

  /** Loads the pair and, when given, the caller CAs ({@code caller_tls.client_ca_file}). */
  public static EdgeTls load(Path certFile, Path keyFile, Optional<Path> callerCaFile) {
    TlsMaterial material = TlsMaterial.load(certFile, keyFile);
    return new EdgeTls(material, callerCaFile.map(CallerCaFile::load).orElse(List.of()));
  }

  public X509Certificate leaf() {
    return material.leaf();
  }

  public String fingerprint() {
    return material.fingerprint();
  }

  /**
   * Connectors: TLS 1.3 only, as they require. ALPN {@code mcptunnel/1} is accepted when offered
   * but not required, so a client without ALPN still reaches the upgrade request.
   */
  public SslContext connectorContext() {
    return build(SslContextBuilder.forServer(material.key(), material.chain()).sslProvider(provider())
        .protocols("TLSv1.3")
        .applicationProtocolConfig(alpn(TunnelProtocol.ALPN)), "connector");
  }

  /**
   * Callers: TLS 1.3 and 1.2 (callers are arbitrary clients), restricted to the cipher suites
   * HTTP/2 permits (RFC 7540 §9.2), since the caller port speaks HTTP/2 from the first byte. With
   * caller CAs, a client certificate is requested but optional, so callers with keys still connect;
   * one that is sent must chain to a caller CA or the handshake fails.
   */
  public SslContext callerContext() {
    SslContextBuilder builder = SslContextBuilder.forServer(material.key(), material.chain()).sslProvider(provider())
        .protocols("TLSv1.3", "TLSv1.2")
        .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2));
    if (requestsClientCertificates()) {
      builder.clientAuth(ClientAuth.OPTIONAL).trustManager(new CallerCertificateTrust(callerCas));
    }
    return build(builder, "caller");
  }

  public boolean requestsClientCertificates() {
    return !callerCas.isEmpty();
  }

  /** BoringSSL where its native library loads (cheaper handshakes), the JDK otherwise; as the proxy does. */
  static SslProvider provider() {
    return OpenSsl.isAvailable() && !Boolean.getBoolean("mcptunnel.tls.jdk") ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  private static ApplicationProtocolConfig alpn(String protocol) {
    return new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
        SelectedListenerFailureBehavior.ACCEPT, protocol);
  }

  private static SslContext build(SslContextBuilder builder, String listener) {
    try {
      return builder.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new PkiException("tls: cannot build the " + listener + " TLS context: " + e.getMessage(), e);
    }
  }

  /** Names the certificate, never the key. */
  @Override
  public String toString() {
    return "EdgeTls[subject=" + leaf().getSubjectX500Principal() + ", sha256=" + fingerprint()
        + ", callerCas=" + callerCas.size() + "]";
  }
}
