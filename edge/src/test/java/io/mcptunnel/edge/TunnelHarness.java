package io.mcptunnel.edge;

import io.mcptunnel.caller.EdgeSession;
import io.mcptunnel.caller.InnerTls;
import io.mcptunnel.connector.ConnectorMetrics;
import io.mcptunnel.connector.EdgeConnection;
import io.mcptunnel.edge.callers.Caller;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.edge.registry.FileTunnelRegistry;
import io.mcptunnel.netty.Http2Liveness;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole data path on loopback, for the end-to-end tests of this package: a sample MCP server
 * ({@code mcp.<domain>}) and a plain HTTP test server ({@code files.<domain>}) behind a real proxy,
 * a file-backed tunnel registry, and the edge's connector and caller listeners. Tests add the
 * connector side ({@link #connect}, a supervisor or a {@code Connector}) and callers
 * ({@link #callThroughEdge}).
 */
abstract class TunnelHarness {
  static final String DOMAIN = "abcd1234.tunnel.test";
  static final String HOST = "mcp." + DOMAIN;
  static final String TUNNEL = "tnl_test";

  @TempDir Path dir;
  final EventLoopGroup group = Transports.group("tunnel-it", 2);
  final TestPki edgePki = TestPki.create("edge-ca");
  final TestPki tunnelPki = TestPki.create("tunnel-ca");
  final TunnelToken token = TunnelToken.generate(TUNNEL, "tok_1");
  SampleMcpServer mcp;
  HttpTestServer files;
  ProxyServer proxy;
  FileTunnelRegistry registry;
  ConnectorSessions sessions;
  ConnectorListener listener;
  Path registryFile;
  SslContext edgeTls;
  CallerListener callerListener;
  static final String CALLER_KEY = "ck_test_0123456789abcdef";
  final AtomicReference<List<Caller>> callers = new AtomicReference<>(List.of(
      new Caller("backend", "org_1", CallerAdmission.sha256Hex(CALLER_KEY), List.of())));

  @BeforeEach
  void start() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    files = HttpTestServer.start("127.0.0.1");
    IssuedCertificate proxyCert = tunnelPki.server(DOMAIN, "*." + DOMAIN);
    TestPki.write(proxyCert, dir.resolve("tls.crt"), dir.resolve("tls.key"));
    proxy = ProxyServer.start(ProxyConfigParser.parse(Files.writeString(dir.resolve("proxy.yaml"), """
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        routes:
          mcp: %s
          files: http://127.0.0.1:%d
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(DOMAIN, dir.resolve("tls.crt"), dir.resolve("tls.key"), mcp.url(), files.port()))),
        ProxyServer.Options.defaults());

    registryFile = dir.resolve("tunnels.yaml");
    writeRegistry("tok_1", token.secretHash(), "[]", false);
    registry = new FileTunnelRegistry(registryFile, Duration.ofHours(1));
    sessions = new ConnectorSessions();
    registry.addListener(sessions::onChange);
    IssuedCertificate edgeCert = edgePki.server("edge.test");
    edgeTls = SslContextBuilder.forServer(edgeCert.privateKey(), edgeCert.certificate())
        .protocols("TLSv1.3").build();
    listener = ConnectorListener.bind(group, group, new InetSocketAddress("127.0.0.1", 0), edgeTls, registry, sessions,
        connectorLiveness());
    callerListener = CallerListener.bind(group, group, new InetSocketAddress("127.0.0.1", 0), edgeTls, callers::get,
        registry, new EdgeStreams(sessions), CallerStreamEvents.NONE);
  }

  @AfterEach
  void stop() throws Exception {
    callerListener.close();
    listener.close();
    registry.close();
    proxy.shutdown();
    mcp.close();
    files.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** How soon the edge's connector port gives up on a silent connector connection (PING, then close). */
  Duration connectorLiveness() {
    return Http2Liveness.DEFAULT_INTERVAL;
  }

  void writeRegistry(String tokenId, String hash, String retired, boolean archived) throws Exception {
    writeRegistry(tokenId, hash, retired, archived, PemFiles.toPem(tunnelPki.ca().certificate()));
  }

  void writeRegistry(String tokenId, String hash, String retired, boolean archived, String caPem) throws Exception {
    String ca = caPem.replace("\n", "\n      ");
    Files.writeString(registryFile, """
        tunnels:
          - id: %s
            domain: %s
            organization: org_1
            token_id: %s
            token_sha256: %s
            retired_token_ids: %s
            archived: %s
            ca_certificates: |
              %s
        """.formatted(TUNNEL, DOMAIN, tokenId, hash, retired, archived, ca));
  }

  EdgeConnection connect(TunnelToken t) throws Exception {
    return EdgeConnection.connect(group, listener.address(), "edge.test", edgePki.clientContext(), t.encode(),
        URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/"),
        new ConnectorMetrics(new SimpleMeterRegistry())).get(20, TimeUnit.SECONDS);
  }

  TestCaller callThroughEdge(List<X509Certificate> trustedCas) throws Exception {
    EdgeSession edge = EdgeSession.connect(group, callerListener.address(), "edge.test", edgePki.clientContext(),
        CALLER_KEY).get(20, TimeUnit.SECONDS);
    Channel stream = edge.openStream(HOST).get(20, TimeUnit.SECONDS);
    return TestCaller.over(stream, HOST, InnerTls.forTunnel(trustedCas)).get(20, TimeUnit.SECONDS);
  }
}
