package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.sample.SampleMcpServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official TypeScript MCP SDK client ({@code src/test/node/mcp-sdk-client.mjs}) on routes with
 * allowed_tools: against the Java SDK server (answers as event streams) and a JSON-mode upstream.
 */
class ProxyPoliciesNodeIT {
  static final String D = "." + ProxyHarness.DOMAIN;
  @TempDir Path dir;
  SampleMcpServer mcp;
  JsonRpcUpstream json;
  ProxyHarness h;
  Path caFile;

  @BeforeAll
  static void prepareNode() throws Exception {
    ProxyNodeCallerIT.prepareNode();
  }

  @BeforeEach
  void start() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    json = new JsonRpcUpstream();
    h = new ProxyHarness(dir);
    h.start("""
        routes:
          mcp: %s
          json: http://127.0.0.1:%d
        upstream:
          allowed_ips: [127.0.0.1/32]
        policies:
          mcp:
            allowed_tools: [echo, add]
          json:
            allowed_tools: [echo]
        """.formatted(mcp.url(), json.port()));
    caFile = h.pki.writeCa(dir.resolve("ca.pem"));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    json.close();
    mcp.close();
  }

  @Test
  void sseServerShowsOnlyAllowedToolsAndAnAllowedCallWorks() throws Exception {
    JsonNode out = sdk("mcp", "echo", "{\"message\":\"via the TypeScript SDK\"}");
    assertThat(names(out)).containsExactly("echo", "add");
    assertThat(out.at("/call/text").asText()).isEqualTo("via the TypeScript SDK");
  }

  @Test
  void sseServerRefusesADisallowedCallWithTheJsonRpcError() throws Exception {
    JsonNode out = sdk("mcp", "hello", "{\"name\":\"x\"}");
    assertThat(out.at("/call/error/code").asInt()).isEqualTo(-32602);
    assertThat(out.at("/call/error/message").asText()).contains("tool \"hello\" is not allowed on this route");
  }

  @Test
  void jsonServerShowsOnlyAllowedToolsAndNeverSeesADisallowedCall() throws Exception {
    JsonNode allowed = sdk("json", "echo", "{}");
    assertThat(names(allowed)).containsExactly("echo");
    assertThat(allowed.at("/call/text").asText()).isEqualTo("called echo");

    JsonNode refused = sdk("json", "add", "{\"a\":1,\"b\":2}");
    assertThat(names(refused)).containsExactly("echo");
    assertThat(refused.at("/call/error/code").asInt()).isEqualTo(-32602);
    assertThat(refused.at("/call/error/message").asText()).contains("tool \"add\" is not allowed on this route");
    assertThat(json.bodies).noneMatch(b -> b.contains("\"add\"") && b.contains("tools/call"));
  }

  private static List<String> names(JsonNode out) {
    return java.util.stream.StreamSupport.stream(out.path("tools").spliterator(), false)
        .map(JsonNode::asText).toList();
  }

  private JsonNode sdk(String route, String tool, String args) throws Exception {
    ProxyNodeCallerIT.Result r = ProxyNodeCallerIT.run(List.of("node", "mcp-sdk-client.mjs",
        "127.0.0.1:" + h.proxy.listenAddress().getPort(), route + D, caFile.toString(), tool, args), 60);
    assertThat(r.exitCode()).as(r.describe()).isZero();
    JsonNode out = r.json();
    assertThat(out.path("ok").asBoolean()).as(r.describe()).isTrue();
    return out;
  }
}
