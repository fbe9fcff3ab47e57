package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.connector.Connector;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A token rotated by {@code setup init --token-version} is refused by an edge that follows the
 * control plane: a connector holding the old token gets "token rejected: rotated", one holding
 * the token setup wrote connects.
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
}
