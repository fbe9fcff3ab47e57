package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.CallerTls;
import io.mcptunnel.caller.ControlPlaneTunnelCas;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestOidcIssuer;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's life cycle of a tunnel end to end, on the embedded database: a workload
 * creates the tunnel through the API, registers its CA and reveals the token; proxy, edge and
 * connector run with exactly those; an MCP client calls a tool through the edge, the caller taking
 * the tunnel's CA from the control plane. Archiving through the API then severs the connector
 * (which logs why) and the next call fails.
 */
class ControlPlaneEndToEndIT {
  @TempDir Path dir;

  @Test
  void aTunnelCreatedThroughTheApiCarriesToolCallsUntilItIsArchived() throws Exception {
    TestPki tenantPki = TestPki.create("tenant CA");
    TestPki edgePki = TestPki.create("edge CA");
    Path edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
    try (TestOidcIssuer idp = TestOidcIssuer.start(Clock.systemUTC());
        ControlPlaneFixture cp = new ControlPlaneFixture(dir.resolve("cp"), null);
        SampleMcpServer mcp = SampleMcpServer.start("127.0.0.1");
        LogCapture connectorLog = new LogCapture()) {
      ControlPlaneFixture.Tenant tenant = cp.onboard(idp, "repo:acme/deploy");
      JsonNode tunnel = cp.api("POST", "/v1/tunnels", tenant, "{\"display_name\":\"e2e\"}");
      String id = tunnel.get("id").asText();
      String domain = tunnel.get("domain").asText();
      assertThat(domain).endsWith("." + ControlPlaneFixture.ZONE);
      cp.api("POST", "/v1/tunnels/" + id + "/certificates", tenant, ControlPlaneFixture.JSON.createObjectNode()
          .put("ca_certificate_pem", PemFiles.toPem(tenantPki.ca().certificate())).toString());
      String token = cp.api("POST", "/v1/tunnels/" + id + "/reveal_token", tenant, null).get("tunnel_token").asText();
      Path edgeCredential = cp.internalClient("edge-1", "edge", null, dir.resolve("edge.credential"));
      Path callerCredential = cp.internalClient("backend", "caller", tenant.organization(),
          dir.resolve("caller.credential"));

      ProxyServer proxy = TunnelParts.proxy(dir, domain, tenantPki, Map.of("mcp", mcp.url()));
      try (EdgeServer edge = TunnelParts.edge(dir, "edge", edgePki, cp.base, edgeCredential, tenant.organization());
          Connector connector = TunnelParts.connector(List.of(edge.connectorAddress()), edgeCa, token, proxy, 2)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> connector.liveConnections() == 2);
        TunnelCaller caller = TunnelCaller.start(new CallerSettings(
            List.of(new HostPort("localhost", edge.callerAddress().getPort())),
            CallerTls.edgeClient(Optional.of(edgeCa), Optional.empty(), Optional.empty()), TunnelParts.CALLER_KEY,
            ControlPlaneTunnelCas.create(cp.base, Files.readString(callerCredential), Optional.empty(),
                Clock.systemUTC()), 2));
        CallerGateway gateway = CallerGateway.start(caller, new InetSocketAddress("127.0.0.1", 0));
        try {
          assertThat(echo(gateway, "mcp." + domain, "through the control plane's tunnel"))
              .isEqualTo("through the control plane's tunnel");

          long start = System.nanoTime();
          cp.api("POST", "/v1/tunnels/" + id + "/archive", tenant, null);
          await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(2))
              .until(() -> edge.sessions().count(id) == 0);
          System.out.printf("archive reached the edge and severed the connector in %.1f ms%n",
              (System.nanoTime() - start) / 1e6);
          await().atMost(Duration.ofSeconds(10)).until(() -> connectorLog.lines().stream()
              .anyMatch(l -> l.contains(TunnelProtocol.TUNNEL_ARCHIVED) && l.contains("slot="))); // the connector's line
          assertThat(connector.liveConnections()).isZero();
          assertThat(callFails(gateway, "mcp." + domain)).isTrue();
        } finally {
          gateway.close(Duration.ZERO);
          caller.close();
        }
      } finally {
        proxy.shutdown();
      }
    }
  }

  static String echo(CallerGateway gateway, String host, String message) {
    McpSyncClient client = client(gateway, host);
    try {
      client.initialize();
      McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", message)));
      return ((McpSchema.TextContent) r.content().get(0)).text();
    } finally {
      client.closeGracefully();
    }
  }

  static boolean callFails(CallerGateway gateway, String host) {
    McpSyncClient client = client(gateway, host);
    try {
      client.initialize();
      client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "after archive")));
      return false;
    } catch (RuntimeException expected) {
      return true;
    } finally {
      client.close();
    }
  }

  private static McpSyncClient client(CallerGateway gateway, String host) {
    var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gateway.address().getPort())
        .endpoint("/" + host + "/mcp").build();
    return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(10)).build();
  }
}
