package io.mcptunnel.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.caller.EdgeSession;
import io.mcptunnel.caller.InnerTls;
import io.mcptunnel.caller.StreamRejectedException;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.edge.server.EdgeConfigParser;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import io.micrometer.core.instrument.Counter;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callers that authenticate to the edge with client certificates: a whole edge started from a
 * config file with {@code caller_tls.client_ca_file} and certificate-pinned callers, a real
 * connector, proxy and MCP server, real TLS on loopback. One edge serves every test (its callers are
 * fixed at start), so counters are compared before and after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerMtlsIT {
  static final String DOMAIN = "abcd1234.tunnel.test";
  static final String HOST = "mcp." + DOMAIN;
  static final String TUNNEL = "tnl_mtls";
  static final String KEYED_CALLER_KEY = "ck_test_keyed_0123456789abcdef";
  static final String OPS_CALLER_KEY = "ck_test_ops_0123456789abcdef";

  @TempDir static Path dir;
  final TestPki edgePki = TestPki.create("edge-ca");
  final TestPki tunnelPki = TestPki.create("tunnel-ca");
  final TestPki callerPki = TestPki.create("caller-ca");
  final TestPki strangerPki = TestPki.create("stranger-ca");
  final TunnelToken token = TunnelToken.generate(TUNNEL, "tok_1");
  /** Pinned by the caller "backend". */
  final IssuedCertificate backendCert = callerPki.client("backend");
  /** Pinned by the caller "branch", which may connect from 10.0.0.0/8 only. */
  final IssuedCertificate branchCert = callerPki.client("branch");
  /** Issued by the caller CA, pinned by no caller. */
  final IssuedCertificate unpinnedCert = callerPki.client("unpinned");
  final EventLoopGroup group = Transports.group("caller-mtls-it", 1);
  SampleMcpServer mcp;
  ProxyServer proxy;
  EdgeServer edge;
  Connector connector;

  @BeforeAll
  void start() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    TestPki.write(tunnelPki.server(DOMAIN, "*." + DOMAIN), dir.resolve("proxy.crt"), dir.resolve("proxy.key"));
    proxy = ProxyServer.start(ProxyConfigParser.parse(Files.writeString(dir.resolve("proxy.yaml"), """
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        tunnel_domain: %s
        tls: {cert_file: %s, key_file: %s}
        routes:
          mcp: %s
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(DOMAIN, dir.resolve("proxy.crt"), dir.resolve("proxy.key"), mcp.url()))),
        ProxyServer.Options.defaults());

    Files.writeString(dir.resolve("tunnels.yaml"), """
        tunnels:
          - id: %s
            domain: %s
            organization: org_1
            token_id: tok_1
            token_sha256: "%s"
            ca_certificates: |
              %s
        """.formatted(TUNNEL, DOMAIN, token.secretHash(),
        PemFiles.toPem(tunnelPki.ca().certificate()).replace("\n", "\n      ")));
    TestPki.write(edgePki.server("edge.test"), dir.resolve("edge.crt"), dir.resolve("edge.key"));
    callerPki.writeCa(dir.resolve("caller-ca.pem"));
    edge = EdgeServer.start(EdgeConfigParser.parse(Files.writeString(dir.resolve("edge.yaml"), """
        connector_listen: "127.0.0.1:0"
        caller_listen: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        tls: {cert_file: %s, key_file: %s}
        caller_tls:
          client_ca_file: %s
        registry_file: %s
        callers:
          - {name: backend, organization: org_1, certificate_sha256: "%s"}
          - {name: keyed, organization: org_1, key_sha256: "%s"}
          - {name: ops, organization: org_1, key_sha256: "%s"}
          - {name: branch, organization: org_1, certificate_sha256: "%s", allowed_sources: [10.0.0.0/8]}
        """.formatted(dir.resolve("edge.crt"), dir.resolve("edge.key"), dir.resolve("caller-ca.pem"),
        dir.resolve("tunnels.yaml"), Fingerprints.sha256Hex(backendCert.certificate()),
        CallerAdmission.sha256Hex(KEYED_CALLER_KEY), CallerAdmission.sha256Hex(OPS_CALLER_KEY),
        Fingerprints.sha256Hex(branchCert.certificate())))));

    connector = Connector.start(new ConnectorConfig(List.of(edge.connectorAddress()), "edge.test",
        Optional.of(edgePki.writeCa(dir.resolve("edge-ca.pem"))), token::encode,
        URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/"), 1, Duration.ofSeconds(1),
        new InetSocketAddress("127.0.0.1", 0)));
    await().atMost(Duration.ofSeconds(20)).until(() -> edge.sessions().count(TUNNEL) == 1);
  }

  @AfterAll
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    if (edge != null) {
      edge.close();
    }
    if (proxy != null) {
      proxy.shutdown();
    }
    if (mcp != null) {
      mcp.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  EdgeSession connect(SslContext tls, String callerKey) throws Exception {
    return EdgeSession.connect(group, edge.callerAddress(), "edge.test", tls, callerKey).get(20, TimeUnit.SECONDS);
  }

  /** An MCP initialize through the stream, inner TLS checked against the tunnel's CA. */
  void initializeOver(Channel stream) throws Exception {
    try (TestCaller caller = TestCaller.over(stream, HOST, InnerTls.forTunnel(List.of(tunnelPki.ca().certificate())))
        .get(20, TimeUnit.SECONDS)) {
      TestCaller.Response init = caller.call(HttpMethod.POST, "/mcp", Map.of("Content-Type", "application/json",
          "Accept", "application/json, text/event-stream"), """
          {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
           "capabilities":{},"clientInfo":{"name":"caller-mtls-it","version":"1"}}}""");
      assertThat(init.status()).isEqualTo(200);
      assertThat(init.text()).contains("mcptunnel-sample-server");
    }
  }

  double refusals(String status) {
    Counter c = edge.meterRegistry().find("mcptunnel.edge.caller.refusals").tag("status", status).counter();
    return c == null ? 0 : c.count();
  }

  double streams() {
    Counter c = edge.meterRegistry().find("mcptunnel.edge.caller.streams").tag("tunnel", TUNNEL).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aCallerWithAPinnedCertificateReachesTheMcpServerWithoutAKey() throws Exception {
    double before = streams();
    try (EdgeSession session = connect(edgePki.clientContext(backendCert), null)) {
      initializeOver(session.openStream(HOST).get(20, TimeUnit.SECONDS));
    }
    assertThat(streams()).isEqualTo(before + 1);
  }

  @Test
  void aCertificateFromAnotherCaFailsTheHandshakeAndIsLoggedAndCounted() throws Exception {
    IssuedCertificate stranger = strangerPki.client("backend"); // same name as a real caller, wrong issuer
    assertRefusedAtTheHandshake(stranger, "refused by the caller CAs");
  }

  @Test
  void aCertificateNotMeantForClientsFailsTheHandshake() throws Exception {
    IssuedCertificate serverOnly = callerPki.client("backend", CertificateIssuer.SERVER_AUTH);
    assertRefusedAtTheHandshake(serverOnly, "refused by the caller CAs");
  }

  /**
   * The edge refuses the handshake; no stream is ever opened. Under TLS 1.3 the client may finish
   * its side before the edge has checked the certificate, so the failure can surface at connect or
   * at the first stream: either is a refusal.
   */
  void assertRefusedAtTheHandshake(IssuedCertificate presented, String reason) throws Exception {
    double tlsBefore = refusals("tls");
    double unauthorizedBefore = refusals("401");
    String fingerprint = Fingerprints.sha256Hex(presented.certificate());
    try (LogCapture log = new LogCapture(CallerListener.class)) {
      assertThatThrownBy(() -> EdgeSession.connect(group, edge.callerAddress(), "edge.test",
              edgePki.clientContext(presented), KEYED_CALLER_KEY)
          .thenCompose(session -> session.openStream(HOST)).get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.lines())
          .anyMatch(l -> l.startsWith("WARN caller TLS handshake refused") && l.contains("source=127.0.0.1")
              && l.contains(reason) && l.contains(fingerprint)));
      assertThat(log.lines()).noneMatch(l -> l.contains(KEYED_CALLER_KEY));
    }
    assertThat(refusals("tls")).isEqualTo(tlsBefore + 1);
    assertThat(refusals("401")).as("no stream reached admission").isEqualTo(unauthorizedBefore);
  }

  @Test
  void aBareTcpConnectIsNoRefusal() throws Exception {
    // Load balancer health checks connect and close without a word; counting them would drown real refusals.
    double before = refusals("tls");
    try (LogCapture log = new LogCapture(CallerListener.class)) {
      new Socket(edge.callerAddress().getAddress(), edge.callerAddress().getPort()).close();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(log.lines())
          .anyMatch(l -> l.startsWith("DEBUG caller connection closed before a TLS handshake")));
    }
    assertThat(refusals("tls")).isEqualTo(before);
  }

  @Test
  void aCertificateThatChainsButIsPinnedByNoCallerIsRefusedWithItsFingerprintInTheLog() throws Exception {
    double before = refusals("401");
    String fingerprint = Fingerprints.sha256Hex(unpinnedCert.certificate());
    try (LogCapture log = new LogCapture(CallerListener.class);
        EdgeSession session = connect(edgePki.clientContext(unpinnedCert), null)) {
      assertThatThrownBy(() -> session.openStream(HOST).get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StreamRejectedException.class).hasMessageContaining("client certificate rejected");
      assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN caller stream refused")
          && l.contains("certificate_sha256=" + fingerprint)
          && l.contains("reason=client certificate sha256 " + fingerprint + " is not pinned by any caller"));
    }
    assertThat(refusals("401")).isEqualTo(before + 1);
  }

  @Test
  void aCertificateWithTheKeyOfAnotherCallerIsRefused() throws Exception {
    try (LogCapture log = new LogCapture(CallerListener.class);
        EdgeSession session = connect(edgePki.clientContext(backendCert), OPS_CALLER_KEY)) {
      assertThatThrownBy(() -> session.openStream(HOST).get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StreamRejectedException.class)
          .hasMessageContaining("client certificate and caller key name different callers");
      assertThat(log.lines()).anyMatch(l -> l.contains("caller=backend")
          && l.contains("the client certificate names caller backend but the caller key names ops"));
      assertThat(log.lines()).noneMatch(l -> l.contains(OPS_CALLER_KEY));
    }
  }

  @Test
  void keyCallersStillWorkWhileClientCertificatesAreRequested() throws Exception {
    try (EdgeSession session = connect(edgePki.clientContext(), KEYED_CALLER_KEY)) {
      initializeOver(session.openStream(HOST).get(20, TimeUnit.SECONDS));
    }
    try (EdgeSession anonymous = connect(edgePki.clientContext(), null)) {
      assertThatThrownBy(() -> anonymous.openStream(HOST).get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StreamRejectedException.class).hasMessageContaining("caller key rejected");
    }
  }

  @Test
  void sourceNetworksStillApplyToCertificateCallers() throws Exception {
    try (EdgeSession session = connect(edgePki.clientContext(branchCert), null)) {
      assertThatThrownBy(() -> session.openStream(HOST).get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StreamRejectedException.class).hasMessageContaining("source address not allowed");
    }
  }
}
