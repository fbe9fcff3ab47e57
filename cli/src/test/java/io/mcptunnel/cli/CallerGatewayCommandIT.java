package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcptunnel caller gateway} as a child process, used by an independent client: the official
 * TypeScript MCP SDK ({@code src/test/node/gateway-client.mjs}) reaches the reference "everything"
 * server ({@code @modelcontextprotocol/server-everything}) behind proxy, connector and edge.
 */
class CallerGatewayCommandIT {
  static Path nodeDir;

  @TempDir Path dir;
  ChildProcess everything;
  TunnelStack stack;
  ChildProcess gateway;

  @BeforeAll
  static void findNodePackages() {
    nodeDir = Path.of(System.getProperty("user.dir")).resolve("src/test/node").toAbsolutePath();
    if (!Files.isDirectory(nodeDir.resolve("node_modules/@modelcontextprotocol/sdk"))
        || !Files.isDirectory(nodeDir.resolve("node_modules/@modelcontextprotocol/server-everything"))) {
      fail("npm packages missing in " + nodeDir + ": run `npm ci` there (scripts/test does)");
    }
  }

  @BeforeEach
  void start() throws Exception {
    int port = ProxyFiles.freePort();
    everything = ChildProcess.start(nodeDir, Map.of("PORT", Integer.toString(port)), List.of("node",
        "node_modules/@modelcontextprotocol/server-everything/dist/index.js", "streamableHttp"));
    everything.awaitLine(l -> l.contains("listening on port " + port), 60);
    stack = new TunnelStack(dir, Map.of("everything", "http://127.0.0.1:" + port));
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    stack.close();
    everything.close();
  }

  @Test
  void theTypeScriptSdkClientListsToolsAndCallsEchoThroughTheGateway() throws Exception {
    int listen = ProxyFiles.freePort();
    List<String> args = new ArrayList<>(List.of("caller", "gateway", "--listen", "127.0.0.1:" + listen,
        "--grace-period", "2s"));
    args.addAll(stack.callerArgs());
    gateway = ChildProcess.mcptunnel(dir, Map.of(), args);
    gateway.awaitLine(l -> l.contains("caller gateway started"), 60);

    String marker = "ts-sdk-" + UUID.randomUUID();
    String url = "http://127.0.0.1:" + listen + "/everything." + TunnelStack.DOMAIN + "/mcp";
    try (ChildProcess client = ChildProcess.start(nodeDir, Map.of(), List.of("node", "gateway-client.mjs", url,
        marker))) {
      assertThat(client.awaitExit(60)).as("client stderr: %s", client.stderr).isZero();
      JsonNode out = new ObjectMapper().readTree(String.join("\n", client.stdout));
      List<String> tools = new ArrayList<>();
      out.get("tools").forEach(t -> tools.add(t.asText()));
      assertThat(tools).contains("echo");
      assertThat(out.get("echo").asText()).contains(marker);
    }

    gateway.sigterm();
    assertThat(gateway.awaitExit(30)).as("exit code; stderr: %s", gateway.stderr).isZero();
    String output = String.join("\n", gateway.stdout) + String.join("\n", gateway.stderr);
    assertThat(output).contains("\"msg\":\"request\"").doesNotContain(TunnelStack.CALLER_KEY);
  }
}
