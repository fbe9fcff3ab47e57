package io.mcptunnel.bench;

import io.mcptunnel.caller.EdgeSession;
import io.mcptunnel.caller.InnerTls;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.edge.server.EdgeConfigParser;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.tls.SslContexts;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The full tunnel path, in this JVM as the edge tests build it: an {@link EdgeServer} started from
 * a YAML config with a file registry (one tunnel whose CA is the bench's tunnel CA, one caller), a
 * {@link Connector} keeping its default 4 connections to it and relaying to the bench's proxy, and
 * on the caller side one {@link EdgeSession} (TLS 1.3 + HTTP/2 to the edge) per client event loop.
 * A benchmark connection is one HTTP/2 stream on one of those sessions, carrying an inner TLS
 * session ({@link InnerTls#forTunnel}) with HTTP/1.1 keep-alive inside.
 *
 * <p>The files written here (edge certificate and key, registry, edge CA, tunnel token) also serve
 * the child edge and connector of the memory phase; they live in the bench's temporary directory.
 */
final class FullPath implements AutoCloseable {
  static final String TUNNEL_ID = "tnl_bench";
  static final String ORGANIZATION = "org_bench";
  static final String EDGE_NAME = "edge.bench.test";
  static final int HA_CONNECTIONS = ConnectorConfig.DEFAULT_HA_CONNECTIONS;

  final Path dir;
  final Path edgeCert;
  final Path edgeKey;
  final Path edgeCaFile;
  final Path registryFile;
  final TunnelToken token;
  final String callerKey;
  final List<java.security.cert.X509Certificate> tunnelCas;
  final URI origin;
  private final TestPki edgePki;
  private final SslContext edgeClientTls;
  private EdgeServer edge;
  private Connector connector;
  private final List<EdgeSession> sessions = new ArrayList<>();

  private FullPath(Path dir, TestPki tunnelPki, InetSocketAddress proxy) throws SSLException {
    this.dir = dir;
    this.edgePki = TestPki.create("bench-edge-ca");
    this.edgeCert = dir.resolve("edge.crt");
    this.edgeKey = dir.resolve("edge.key");
    this.edgeCaFile = dir.resolve("edge-ca.pem");
    this.registryFile = dir.resolve("tunnels.yaml");
    this.token = TunnelToken.generate(TUNNEL_ID, "tok_1");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.callerKey = "ck_" + HexFormat.of().formatHex(key);
    this.tunnelCas = List.of(tunnelPki.ca().certificate());
    this.origin = URI.create("ws://127.0.0.1:" + proxy.getPort() + "/");
    IssuedCertificate cert = edgePki.server(EDGE_NAME);
    TestPki.write(cert, edgeCert, edgeKey);
    edgePki.writeCa(edgeCaFile);
    // As the control plane will: the tunnel, its current token (hash only) and its active CA.
    String ca = PemFiles.toPem(tunnelPki.ca().certificate()).strip().replace("\n", "\n      ");
    write(registryFile, """
        tunnels:
          - id: %s
            domain: %s
            organization: %s
            token_id: %s
            token_sha256: "%s"
            ca_certificates: |
              %s
        """.formatted(TUNNEL_ID, Bench.DOMAIN, ORGANIZATION, token.tokenId(), token.secretHash(), ca));
    // A caller as a real one connects: TLS 1.3 with ALPN h2, the edge's certificate checked.
    edgeClientTls = SslContextBuilder.forClient()
        .sslProvider(SslContexts.provider())
        .trustManager(edgePki.ca().certificate())
        .protocols("TLSv1.3")
        .endpointIdentificationAlgorithm("HTTPS")
        .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
        .build();
  }

  /** Starts edge and connector, waits for the connector's 4 connections, opens the caller's edge sessions. */
  static FullPath start(Path dir, TestPki tunnelPki, InetSocketAddress proxy, EventLoopGroup clients)
      throws Exception {
    FullPath p = new FullPath(dir, tunnelPki, proxy);
    try {
      p.edge = EdgeServer.start(EdgeConfigParser.parse(p.edgeYaml("127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"),
          "bench-edge"));
      p.connector = Connector.start(new ConnectorConfig(List.of(p.edge.connectorAddress()), EDGE_NAME,
          Optional.of(p.edgeCaFile), p.token::encode, p.origin, HA_CONNECTIONS, Duration.ofSeconds(2),
          new InetSocketAddress("127.0.0.1", 0)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (p.edge.sessions().count(TUNNEL_ID) < HA_CONNECTIONS) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the connector did not register " + HA_CONNECTIONS
              + " connections at the edge within 20 s (" + p.edge.sessions().count(TUNNEL_ID) + ")");
        }
        Thread.sleep(20);
      }
      // One edge session per client event loop, so the caller's work is spread like the other clients'.
      for (EventExecutor loop : clients) {
        p.sessions.add(p.connectSession((EventLoop) loop, p.edge.callerAddress()));
      }
      return p;
    } catch (Exception | Error e) {
      p.close();
      throw e;
    }
  }

  /** The edge configuration, for this JVM's edge and for the child edge of the memory phase. */
  String edgeYaml(String connectorListen, String callerListen, String adminAddr) {
    return """
        connector_listen: "%s"
        caller_listen: "%s"
        admin_addr: "%s"
        tls:
          cert_file: %s
          key_file: %s
        registry_file: %s
        registry_poll_interval: 60s
        callers:
          - name: bench
            organization: %s
            key_sha256: "%s"
        log_level: warn
        log_format: text
        """.formatted(connectorListen, callerListen, adminAddr, edgeCert, edgeKey, registryFile, ORGANIZATION,
        CallerAdmission.sha256Hex(callerKey));
  }

  EdgeSession connectSession(EventLoopGroup loop, InetSocketAddress edgeCallerAddress) throws Exception {
    return EdgeSession.connect(loop, edgeCallerAddress, EDGE_NAME, edgeClientTls, callerKey).get(20, TimeUnit.SECONDS);
  }

  /** A fresh inner TLS client context, as a caller keeps one per tunnel (so sessions resume). */
  SslContext innerTls() throws SSLException {
    return InnerTls.forTunnel(tunnelCas);
  }

  /** A new stream on edge session {@code index % sessions} with an inner TLS session to the proxy over it. */
  TunnelConn open(SslContext inner, int index) throws Exception {
    return open(sessions.get(Math.floorMod(index, sessions.size())), inner);
  }

  static TunnelConn open(EdgeSession session, SslContext inner) throws Exception {
    return openAsync(session, inner).get(20, TimeUnit.SECONDS);
  }

  static CompletableFuture<TunnelConn> openAsync(EdgeSession session, SslContext inner) {
    CompletableFuture<Channel> stream = session.openStream(Bench.TUNNEL_HOST);
    return stream.thenCompose(ch -> TestCaller.over(ch, Bench.TUNNEL_HOST, inner))
        .thenApply(c -> new TunnelConn(c, Bench.TUNNEL_HOST));
  }

  int liveConnectorConnections() {
    return edge.sessions().count(TUNNEL_ID);
  }

  @Override
  public void close() {
    sessions.forEach(EdgeSession::close);
    if (connector != null) {
      connector.close();
    }
    if (edge != null) {
      edge.close();
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
