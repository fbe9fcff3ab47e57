package io.mcptunnel.edge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.testing.ControlPlaneStandIn;
import io.mcptunnel.edge.registry.ControlPlaneTunnelRegistry;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.mcptunnel.tunnel.TunnelToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole edge started from a config file, on loopback port 0, with throwaway TLS files. */
class EdgeServerTest {
  static final String TUNNEL = "tnl_1";

  @TempDir Path dir;
  final TestPki edgePki = TestPki.create("edge-ca");
  final TestPki tunnelPki = TestPki.create("tunnel-ca");
  final TunnelToken token = TunnelToken.generate(TUNNEL, "tok_1");
  final HttpClient http = HttpClient.newHttpClient();
  Path registryFile;
  EdgeServer edge;

  @BeforeEach
  void files() throws IOException {
    TestPki.write(edgePki.server("edge.test"), dir.resolve("edge.crt"), dir.resolve("edge.key"));
    registryFile = dir.resolve("tunnels.yaml");
    writeRegistry(false);
  }

  @AfterEach
  void stop() {
    if (edge != null) {
      edge.close();
    }
  }

  void writeRegistry(boolean archived) throws IOException {
    String ca = PemFiles.toPem(tunnelPki.ca().certificate()).replace("\n", "\n      ");
    Path tmp = dir.resolve("tunnels.yaml.tmp");
    Files.writeString(tmp, """
        tunnels:
          - id: %s
            domain: abcd.tunnel.test
            organization: org_1
            token_id: tok_1
            token_sha256: %s
            archived: %s
            ca_certificates: |
              %s
        """.formatted(TUNNEL, token.secretHash(), archived, ca));
    Files.move(tmp, registryFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  EdgeConfig config() {
    return config("127.0.0.1:0");
  }

  EdgeConfig config(String callerListen) {
    return EdgeConfigParser.parse("""
        connector_listen: "127.0.0.1:0"
        caller_listen: "%s"
        admin_addr: "127.0.0.1:0"
        tls: {cert_file: %s, key_file: %s}
        registry_file: %s
        registry_poll_interval: 50ms
        callers:
          - {name: backend, organization: org_1, key_sha256: "%s"}
        """.formatted(callerListen, dir.resolve("edge.crt"), dir.resolve("edge.key"), registryFile, "0".repeat(64)),
        "test");
  }

  HttpResponse<String> admin(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminAddress().getPort() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void adminEndpointsAnswerAndCloseReleasesEveryPort() throws Exception {
    edge = EdgeServer.start(config());
    assertThat(edge.connectorAddress().getPort()).isPositive();
    assertThat(edge.callerAddress().getPort()).isPositive().isNotEqualTo(edge.connectorAddress().getPort());

    assertThat(admin("/healthz").statusCode()).isEqualTo(200);
    assertThat(admin("/readyz")).satisfies(r -> {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ready\n");
    });
    HttpResponse<String> metrics = admin("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("mcptunnel_edge_connector_connections{tunnel=\"tnl_1\"} 0.0",
        "mcptunnel_edge_tunnels 1.0", "mcptunnel_edge_callers 1.0");
    assertThat(admin("/healthz/extra").statusCode()).isEqualTo(404);

    int[] ports = {edge.connectorAddress().getPort(), edge.callerAddress().getPort(), edge.adminAddress().getPort()};
    edge.close();
    assertThat(edge.ready()).isFalse();
    assertThat(edge.closed()).isDone();
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
      }
    }
  }

  @Test
  void refusedCallerStreamsAreCountedByStatus() throws Exception {
    edge = EdgeServer.start(config());
    io.netty.channel.EventLoopGroup group = io.mcptunnel.netty.Transports.group("edge-server-test", 1);
    try (io.mcptunnel.caller.EdgeSession session = io.mcptunnel.caller.EdgeSession.connect(group,
        edge.callerAddress(), "edge.test", edgePki.clientContext(), "not-a-known-key").get(10, TimeUnit.SECONDS)) {
      assertThatThrownBy(() -> session.openStream("mcp.abcd.tunnel.test").get(10, TimeUnit.SECONDS))
          .hasMessageContaining("caller key rejected");
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    assertThat(admin("/metrics").body()).contains("mcptunnel_edge_caller_refusals_total{status=\"401\"} 1.0");
  }

  @Test
  void aConnectorIsCountedAndArchivingTheTunnelInTheFileSeversIt() throws Exception {
    edge = EdgeServer.start(config());
    try (SSLSocket connector = connect()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 1);
      assertThat(admin("/metrics").body()).contains("mcptunnel_edge_connector_connections{tunnel=\"tnl_1\"} 1.0");

      writeRegistry(true); // picked up by the 50ms poll: no restart, no explicit reload
      await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 0);
      assertThat(drainsToEof(connector.getInputStream())).as("the edge closed the connection").isTrue();
    }
  }

  static final String CREDENTIAL = "mcpti1.icl_000000000000000000000001.c2VjcmV0LXNlY3JldC1zZWNyZXQ";

  EdgeConfig controlPlaneConfig(URI url) throws IOException {
    Path credential = Files.writeString(dir.resolve("edge.credential"), CREDENTIAL + "\n");
    return EdgeConfigParser.parse("""
        connector_listen: "127.0.0.1:0"
        caller_listen: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        tls: {cert_file: %s, key_file: %s}
        control_plane:
          url: "%s"
          credential_file: %s
        """.formatted(dir.resolve("edge.crt"), dir.resolve("edge.key"), url, credential), "test");
  }

  @Test
  void aConnectorAdmittedThroughTheControlPlaneIsSeveredWhenItPublishesTheArchive() throws Exception {
    try (ControlPlaneStandIn controlPlane = new ControlPlaneStandIn(CREDENTIAL)) {
      controlPlane.publish(ControlPlaneStandIn.live(TUNNEL, "abcd.tunnel.test", "tok_1", token.secretHash(),
          tunnelPki.ca().certificate()));
      edge = EdgeServer.start(controlPlaneConfig(controlPlane.url()));
      assertThat(edge.registry()).isInstanceOf(ControlPlaneTunnelRegistry.class);
      try (SSLSocket connector = connect()) {
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 1);
        assertThat(admin("/metrics").body()).contains("mcptunnel_edge_tunnel_state_version 1.0",
            "mcptunnel_edge_tunnel_state_sync_age_seconds", "mcptunnel_edge_tunnels 1.0");

        controlPlane.publish(ControlPlaneStandIn.archived(TUNNEL, "abcd.tunnel.test")); // reaches the held long poll
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 0);
        assertThat(drainsToEof(connector.getInputStream())).as("the edge closed the connection").isTrue();
      }
      assertThat(admin("/metrics").body()).contains("mcptunnel_edge_tunnel_state_version 2.0");
      assertThatThrownBy(this::connect).as("an archived tunnel's connector is refused").isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void aSeveringRotationDropsTheOldTokensConnectionsAndKeepsTheNewTokens() throws Exception {
    TunnelToken second = TunnelToken.generate(TUNNEL, "tok_2");
    TunnelToken third = TunnelToken.generate(TUNNEL, "tok_3");
    try (ControlPlaneStandIn controlPlane = new ControlPlaneStandIn(CREDENTIAL)) {
      controlPlane.publish(ControlPlaneStandIn.live(TUNNEL, "abcd.tunnel.test", "tok_1", token.secretHash(),
          tunnelPki.ca().certificate()));
      edge = EdgeServer.start(controlPlaneConfig(controlPlane.url()));
      try (SSLSocket first = connect(token)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 1);

        // A plain rotation keeps the live connection (SPEC §3).
        controlPlane.publish(rotatedTo(second, List.of("tok_1"), List.of()));
        await().atMost(Duration.ofSeconds(5)).until(() -> ((ControlPlaneTunnelRegistry) edge.registry()).version() == 2);
        try (SSLSocket secondConnection = connect(second)) {
          await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 2);

          // Severing: tok_1 and tok_2 go, a connection with the new tok_3 made afterwards stays.
          controlPlane.publish(rotatedTo(third, List.of("tok_1", "tok_2"), List.of("tok_1", "tok_2")));
          await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 0);
          assertThat(drainsToEof(first.getInputStream())).as("the edge closed the tok_1 connection").isTrue();
          assertThat(drainsToEof(secondConnection.getInputStream())).as("and the tok_2 one").isTrue();
        }
      }
      try (SSLSocket fresh = connect(third)) {
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.sessions().count(TUNNEL) == 1);
        // A later change (a second CA) that still lists the severed ids keeps the new token's connection.
        ObjectNode secondCa = rotatedTo(third, List.of("tok_1", "tok_2"), List.of("tok_1", "tok_2"));
        secondCa.withArray("ca_certificates_pem").add(PemFiles.toPem(TestPki.create("other-ca").ca().certificate()));
        controlPlane.publish(secondCa);
        await().atMost(Duration.ofSeconds(5)).until(() -> ((ControlPlaneTunnelRegistry) edge.registry()).version() == 4);
        assertThat(edge.sessions().count(TUNNEL)).isEqualTo(1);
        assertThat(fresh.isClosed()).isFalse();
      }
    }
  }

  ObjectNode rotatedTo(TunnelToken current, List<String> retired, List<String> severed) {
    ObjectNode record = ControlPlaneStandIn.live(TUNNEL, "abcd.tunnel.test", current.tokenId(),
        current.secretHash(), tunnelPki.ca().certificate());
    retired.forEach(record.withArray("retired_token_ids")::add);
    severed.forEach(record.withArray("severed_token_ids")::add);
    return record;
  }

  @Test
  void anUnreachableControlPlaneFailsTheStartNamingTheField() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    EdgeConfig config = controlPlaneConfig(URI.create("http://127.0.0.1:" + port));
    assertThatThrownBy(() -> EdgeServer.start(config)).isInstanceOf(McptunnelException.class)
        .hasMessageStartingWith("control_plane.url http://127.0.0.1:" + port + ": cannot load the tunnel state")
        .hasMessageNotContaining(CREDENTIAL.substring(CREDENTIAL.lastIndexOf('.')));
  }

  @Test
  void aTakenPortIsAnOperatorErrorNamingTheField() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> EdgeServer.start(config("127.0.0.1:" + taken.getLocalPort())))
          .isInstanceOf(EdgeConfigException.class)
          .hasMessageStartingWith("caller_listen 127.0.0.1:" + taken.getLocalPort() + ": ");
    }
  }

  @Test
  void aMissingRegistryFileFailsTheStart() throws Exception {
    Files.delete(registryFile);
    assertThatThrownBy(() -> EdgeServer.start(config())).isInstanceOf(McptunnelException.class)
        .hasMessageContaining(registryFile + ": no such file or directory");
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateIsRefused() throws Exception {
    TestPki.write(edgePki.server("edge.test"), dir.resolve("other.crt"), dir.resolve("edge.key"));
    assertThatThrownBy(() -> EdgeServer.start(config())).isInstanceOf(McptunnelException.class)
        .hasMessageContaining("does not match");
  }

  /** Dials the connector port as a connector does: TLS 1.3, then the upgrade with the tunnel token. */
  SSLSocket connect() throws Exception {
    return connect(token);
  }

  SSLSocket connect(TunnelToken token) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", edgePki.ca().certificate());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, tmf.getTrustManagers(), null);
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", edge.connectorAddress().getPort());
    s.setSoTimeout(5000);
    OutputStream out = s.getOutputStream();
    out.write(("GET " + TunnelProtocol.CONNECT_PATH + " HTTP/1.1\r\nHost: edge.test\r\n"
        + "Authorization: Bearer " + token.encode() + "\r\nConnection: upgrade\r\nUpgrade: "
        + TunnelProtocol.UPGRADE + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] status = s.getInputStream().readNBytes(12);
    assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
    return s;
  }

  /** Reads (the edge's HTTP/2 preface, then nothing) until the edge closes the connection. */
  static boolean drainsToEof(InputStream in) {
    try {
      while (in.read() >= 0) {
        // discard
      }
      return true;
    } catch (IOException e) { // a reset or TLS close also means the edge severed it
      return !(e instanceof java.net.SocketTimeoutException);
    }
  }
}
