package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.edge.registry.ControlPlaneTunnelRegistry;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A token rotated by {@code setup init --token-version} is refused by an edge that follows the
 * control plane: a connector holding the old token gets "token rejected: rotated", one holding
 * the token setup wrote connects. With {@code --sever-existing} the edge also drops the live
 * connections of the old token within a second; a plain rotation keeps them.
 */
class SetupTokenRotationEdgeIT extends SetupItSupport {

  @Test
  void aConnectorWithTheTokenBeforeRotationIsRefusedAndTheNewOneConnects() throws Exception {
    assertThat(setup("init", "--output", out(), "--token-version", "1").exit()).isZero();
    String id = files().get("tunnel-id");
    String domain = files().get("tunnel-domain");
    String oldToken = files().get("tunnel-token");
    TestPki edgePki = TestPki.create("edge CA");
    Path edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
    ProxyServer proxy = TunnelParts.proxy(dir, domain, TestPki.create("tenant CA"), Map.of("mcp", "http://127.0.0.1:9"));
    try (LogCapture log = new LogCapture();
        EdgeServer edge = TunnelParts.edge(dir, "edge", edgePki, cp.base,
            cp.internalClient("edge-setup", "edge", null, dir.resolve("edge.credential")), tenant.organization())) {
      try (Connector before = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, oldToken, proxy, 1)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.sessions().count(id) == 1);
      }

      CliRun rotate = setup("init", "--output", out(), "--token-version", "2");
      assertThat(rotate.out()).contains("rotated token (token-version changed from 1 to 2)");
      String newToken = files().get("tunnel-token");
      assertThat(newToken).isNotEqualTo(oldToken);

      try (Connector stale = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, oldToken, proxy, 1)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream()
            .anyMatch(l -> l.contains(TunnelProtocol.TOKEN_ROTATED)));
        assertThat(stale.liveConnections()).isZero();
      }
      try (Connector fresh = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, newToken, proxy, 1)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> fresh.liveConnections() == 1);
      }
    } finally {
      proxy.shutdown();
    }
  }

  @Test
  void aSeveringRotationDropsTheOldTokensLiveConnectionsWithinASecondAndAPlainOneKeepsThem() throws Exception {
    assertThat(setup("init", "--output", out(), "--token-version", "1").exit()).isZero();
    String id = files().get("tunnel-id");
    String domain = files().get("tunnel-domain");
    String oldToken = files().get("tunnel-token");
    TestPki edgePki = TestPki.create("edge CA");
    Path edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
    ProxyServer proxy = TunnelParts.proxy(dir, domain, TestPki.create("tenant CA"), Map.of("mcp", "http://127.0.0.1:9"));
    try (LogCapture log = new LogCapture();
        EdgeServer edge = TunnelParts.edge(dir, "edge", edgePki, cp.base,
            cp.internalClient("edge-sever", "edge", null, dir.resolve("edge.credential")), tenant.organization());
        Connector connector = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, oldToken, proxy, 2)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> edge.sessions().count(id) == 2);
      ControlPlaneTunnelRegistry registry = (ControlPlaneTunnelRegistry) edge.registry();

      long before = registry.version();
      CliRun plain = setup("init", "--output", out(), "--token-version", "2");
      assertThat(plain.exit()).as(plain.err()).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> registry.version() > before);
      assertThat(edge.sessions().count(id)).as("a plain rotation keeps live connections").isEqualTo(2);

      List<Instant> closedAt = new CopyOnWriteArrayList<>();
      edge.sessions().connections(id).forEach(c -> c.closeFuture().addListener(f -> closedAt.add(Instant.now())));
      CliRun sever = setup("init", "--output", out(), "--token-version", "3", "--sever-existing");
      assertThat(sever.exit()).as(sever.err()).isZero();
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(() -> closedAt.size() == 2);
      Instant rotatedAt = severingRotationTime(id);
      Duration latency = Duration.between(rotatedAt, closedAt.stream().max(Instant::compareTo).orElseThrow());
      System.out.println("sever_existing: the edge dropped 2 connector connections " + latency.toMillis()
          + " ms after the rotation was recorded");
      assertThat(latency).isLessThan(Duration.ofSeconds(1));

      // The connector reconnects with the token it holds and is told why it is refused.
      await().atMost(Duration.ofSeconds(10)).until(() -> log.lines().stream()
          .anyMatch(l -> l.startsWith("ERROR " + TunnelProtocol.TOKEN_ROTATED)));
      assertThat(edge.sessions().count(id)).isZero();
      assertThat(connector.liveConnections()).isZero();

      String newToken = files().get("tunnel-token");
      try (Connector fresh = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, newToken, proxy, 1)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> fresh.liveConnections() == 1);
        long now = registry.version();
        cp.api("POST", "/v1/tunnels/" + id + "/certificates", tenant, "{\"ca_certificate_pem\":"
            + ControlPlaneFixture.JSON.writeValueAsString(PemFiles.toPem(TestPki.create("second CA").ca().certificate()))
            + "}");
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.version() > now);
        assertThat(fresh.liveConnections()).as("the new token's connection survives later changes").isEqualTo(1);
      }
    } finally {
      proxy.shutdown();
    }
  }

  /** When the control plane recorded the severing rotation (its audit event, stamped before commit). */
  private Instant severingRotationTime(String tunnelId) {
    JsonNode audit = cp.admin("GET", "/v1/admin/organizations/" + tenant.organization()
        + "/audit?after_id=0&limit=1000", null);
    for (JsonNode e : audit.get("data")) {
      if (e.get("action").asText().equals("tunnel.token.rotate") && tunnelId.equals(e.get("target").asText())
          && e.get("outcome").asText().equals("success (sever_existing: true)")) {
        return Instant.parse(e.get("occurred_at").asText());
      }
    }
    throw new AssertionError("no severing rotation in the audit log: " + audit);
  }
}
