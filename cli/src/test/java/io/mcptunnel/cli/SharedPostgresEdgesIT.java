package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.edge.registry.TunnelState;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.PostgresServer;
import io.mcptunnel.testing.TestOidcIssuer;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.mcptunnel.tunnel.TunnelToken;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two control-plane nodes on one PostgreSQL, each followed by its own edge, and one connector with
 * connections to both edges. A change made through either node reaches both edges within a second
 * (measured from just before the API call to the edge's registry reporting it); archiving severs
 * the tunnel on both; a node restart loses nothing.
 */
class SharedPostgresEdgesIT {
  static final int ROTATIONS = 10;
  static final Duration PROPAGATION_LIMIT = Duration.ofSeconds(1);

  @TempDir Path dir;

  /** When each edge's registry first reported a state matching a predicate, in System.nanoTime(). */
  static final class Arrivals {
    private final Map<Predicate<TunnelState>, Long> seen = new ConcurrentHashMap<>();
    private final List<Predicate<TunnelState>> waiting = Collections.synchronizedList(new ArrayList<>());

    Arrivals(EdgeServer edge) {
      edge.registry().addListener(state -> {
        synchronized (waiting) {
          waiting.removeIf(p -> {
            if (p.test(state)) {
              seen.put(p, System.nanoTime());
              return true;
            }
            return false;
          });
        }
      });
    }

    void expect(Predicate<TunnelState> p) {
      waiting.add(p);
    }

    Long at(Predicate<TunnelState> p) {
      return seen.get(p);
    }
  }

  @Test
  void changesThroughEitherNodeReachBothEdgesWithinASecondAndARestartLosesNothing() throws Exception {
    String url = PostgresServer.shared().createDatabase("cli_edges_" + System.nanoTime());
    Path data = dir.resolve("cp-data"); // both nodes share the server keys, as replicas must
    TestPki tenantPki = TestPki.create("tenant CA");
    TestPki edgePki = TestPki.create("edge CA");
    Path edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
    try (TestOidcIssuer idp = TestOidcIssuer.start(Clock.systemUTC());
        ControlPlaneFixture a = new ControlPlaneFixture(data, url);
        ControlPlaneFixture b = new ControlPlaneFixture(data, url);
        SampleMcpServer mcp = SampleMcpServer.start("127.0.0.1");
        LogCapture connectorLog = new LogCapture()) {
      ControlPlaneFixture.Tenant tenant = a.onboard(idp, "repo:acme/deploy");
      JsonNode tunnel = a.api("POST", "/v1/tunnels", tenant, "{}");
      String id = tunnel.get("id").asText();
      String domain = tunnel.get("domain").asText();
      String firstCa = b.api("POST", "/v1/tunnels/" + id + "/certificates", tenant, ControlPlaneFixture.JSON
          .createObjectNode().put("ca_certificate_pem", PemFiles.toPem(tenantPki.ca().certificate())).toString())
          .get("id").asText();
      String firstToken = b.api("POST", "/v1/tunnels/" + id + "/reveal_token", tenant, null)
          .get("tunnel_token").asText();
      assertThat(a.api("POST", "/v1/tunnels/" + id + "/reveal_token", tenant, null).get("tunnel_token").asText())
          .as("both nodes derive the same token").isEqualTo(firstToken);

      ProxyServer proxy = TunnelParts.proxy(dir, domain, tenantPki, Map.of("mcp", mcp.url()));
      try (EdgeServer edge1 = TunnelParts.edge(dir, "edge1", edgePki, a.base,
              a.internalClient("edge-1", "edge", null, dir.resolve("edge1.credential")), tenant.organization());
          EdgeServer edge2 = TunnelParts.edge(dir, "edge2", edgePki, b.base,
              a.internalClient("edge-2", "edge", null, dir.resolve("edge2.credential")), tenant.organization());
          Connector connector = TunnelParts.connector(List.of(edge1.connectorAddress(), edge2.connectorAddress()),
              edgeCa, firstToken, proxy, 4)) {
        await().atMost(Duration.ofSeconds(20))
            .until(() -> edge1.sessions().count(id) == 2 && edge2.sessions().count(id) == 2);
        List<EdgeServer> edges = List.of(edge1, edge2);
        List<Arrivals> arrivals = edges.stream().map(Arrivals::new).toList();

        // Rotations alternate between the nodes; each must reach both edges.
        List<Double> millis = new ArrayList<>();
        String latestToken = firstToken;
        for (int i = 0; i < ROTATIONS; i++) {
          ControlPlaneFixture node = i % 2 == 0 ? a : b;
          String previousId = TunnelToken.parse(latestToken).orElseThrow().tokenId();
          Predicate<TunnelState> rotated = s -> s.id().equals(id) && !s.currentTokenId().equals(previousId);
          arrivals.forEach(r -> r.expect(rotated));
          long start = System.nanoTime();
          latestToken = node.api("POST", "/v1/tunnels/" + id + "/rotate_token", tenant,
              "{\"reason\":\"propagation test " + i + "\"}").get("tunnel_token").asText();
          await().atMost(PROPAGATION_LIMIT).pollInterval(Duration.ofMillis(5))
              .until(() -> arrivals.stream().allMatch(r -> r.at(rotated) != null));
          String newId = TunnelToken.parse(latestToken).orElseThrow().tokenId();
          for (EdgeServer edge : edges) {
            assertThat(edge.registry().byId(id).orElseThrow().currentTokenId()).isEqualTo(newId);
          }
          arrivals.forEach(r -> millis.add((r.at(rotated) - start) / 1e6));
        }
        Collections.sort(millis);
        System.out.printf("rotation reached an edge (2 edges x %d rotations, through 2 nodes): p50 %.1f ms,"
            + " p90 %.1f ms, max %.1f ms%n", ROTATIONS, millis.get(millis.size() / 2),
            millis.get(millis.size() * 9 / 10), millis.get(millis.size() - 1));
        assertThat(millis.get(millis.size() - 1)).isLessThan((double) PROPAGATION_LIMIT.toMillis());
        // Rotation keeps live connections; a connector with an old token is refused on both edges.
        assertThat(edge1.sessions().count(id) + edge2.sessions().count(id)).isEqualTo(4);
        try (Connector stale = TunnelParts.connector(List.of(edge1.connectorAddress(), edge2.connectorAddress()),
            edgeCa, firstToken, proxy, 2)) {
          for (EdgeServer edge : edges) {
            String at = "edge=127.0.0.1:" + edge.connectorAddress().getPort();
            await().atMost(Duration.ofSeconds(10)).until(() -> connectorLog.lines().stream()
                .anyMatch(l -> l.contains(TunnelProtocol.TOKEN_ROTATED) && l.contains(at)));
          }
          assertThat(stale.liveConnections()).isZero();
        }

        // A node restart loses nothing: same record, same derived token, and its edge keeps following.
        a.restart();
        assertThat(a.api("GET", "/v1/tunnels/" + id, tenant, null)).isEqualTo(tunnel);
        assertThat(a.api("POST", "/v1/tunnels/" + id + "/reveal_token", tenant, null).get("tunnel_token").asText())
            .isEqualTo(latestToken);
        String beforeRestartId = TunnelToken.parse(latestToken).orElseThrow().tokenId();
        latestToken = b.api("POST", "/v1/tunnels/" + id + "/rotate_token", tenant, "{}").get("tunnel_token").asText();
        String afterRestartId = TunnelToken.parse(latestToken).orElseThrow().tokenId();
        assertThat(afterRestartId).isNotEqualTo(beforeRestartId);
        await().atMost(Duration.ofSeconds(15)).until(() ->
            edge1.registry().byId(id).orElseThrow().currentTokenId().equals(afterRestartId));

        // A certificate revoke (CA rotation: register the next CA, archive the old one) reaches both edges.
        X509Certificate nextCa = TestPki.create("next tenant CA").ca().certificate();
        Predicate<TunnelState> twoCas = s -> s.id().equals(id) && s.activeCas().size() == 2;
        Predicate<TunnelState> onlyNext = s -> s.id().equals(id) && s.activeCas().equals(List.of(nextCa));
        arrivals.forEach(r -> r.expect(twoCas));
        a.api("POST", "/v1/tunnels/" + id + "/certificates", tenant, ControlPlaneFixture.JSON.createObjectNode()
            .put("ca_certificate_pem", PemFiles.toPem(nextCa)).toString());
        await().atMost(PROPAGATION_LIMIT).until(() -> arrivals.stream().allMatch(r -> r.at(twoCas) != null));
        arrivals.forEach(r -> r.expect(onlyNext));
        long revokeStart = System.nanoTime();
        b.api("POST", "/v1/tunnels/" + id + "/certificates/" + firstCa + "/archive", tenant, null);
        await().atMost(PROPAGATION_LIMIT).pollInterval(Duration.ofMillis(5))
            .until(() -> arrivals.stream().allMatch(r -> r.at(onlyNext) != null));
        System.out.printf("certificate revoke reached both edges in %.1f ms%n", arrivals.stream()
            .mapToLong(r -> r.at(onlyNext)).max().orElseThrow() / 1e6 - revokeStart / 1e6);

        // Archive through one node severs the tunnel on both edges.
        Predicate<TunnelState> archived = s -> s.id().equals(id) && s.archived();
        arrivals.forEach(r -> r.expect(archived));
        long start = System.nanoTime();
        b.api("POST", "/v1/tunnels/" + id + "/archive", tenant, null);
        await().atMost(PROPAGATION_LIMIT).pollInterval(Duration.ofMillis(5))
            .until(() -> edge1.sessions().count(id) == 0 && edge2.sessions().count(id) == 0);
        double severed = (System.nanoTime() - start) / 1e6;
        System.out.printf("archive severed the tunnel on both edges in %.1f ms%n", severed);
        await().atMost(Duration.ofSeconds(10)).until(() -> connectorLog.lines().stream()
              .anyMatch(l -> l.contains(TunnelProtocol.TUNNEL_ARCHIVED) && l.contains("slot="))); // the connector's line
      } finally {
        proxy.shutdown();
      }
    }
  }
}
