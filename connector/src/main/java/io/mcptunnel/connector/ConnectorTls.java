package io.mcptunnel.connector;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** The connector's TLS client contexts: toward the edge (TLS 1.3 only) and toward a wss origin. */
final class ConnectorTls {
  private ConnectorTls() {}

  /** BoringSSL where its native library loads (cheaper handshakes), the JDK otherwise; as the proxy does. */
  static SslProvider provider() {
    return OpenSsl.isAvailable() && !Boolean.getBoolean("mcptunnel.tls.jdk") ? SslProvider.OPENSSL : SslProvider.JDK;
  }

  /** Trusts {@code caFile} or, when empty, the system CAs; always checks the edge's name. */
  static SslContext edgeClient(Optional<Path> caFile) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient()
          .sslProvider(provider())
          .protocols("TLSv1.3")
          .endpointIdentificationAlgorithm("HTTPS")
          // Offered, not required: an edge that does not negotiate ALPN still gets the upgrade request.
          .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
              ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
              ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, TunnelProtocol.ALPN));
      if (caFile.isPresent()) {
        b.trustManager(caFile.get().toFile());
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new McptunnelException("edge CA file " + caFile.map(Path::toString).orElse("(system)")
          + ": cannot load: " + e.getMessage(), e);
    }
  }

  /** For a wss:// origin: system CAs, name checked. */
  static SslContext originClient() {
    try {
      return SslContextBuilder.forClient().sslProvider(provider()).endpointIdentificationAlgorithm("HTTPS").build();
    } catch (SSLException e) {
      throw new McptunnelException("cannot build the origin TLS context: " + e.getMessage(), e);
    }
  }
}
