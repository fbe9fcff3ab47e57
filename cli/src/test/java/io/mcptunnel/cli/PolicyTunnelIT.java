package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.sample.SampleMcpServer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each proxy policy against real MCP traffic through the whole tunnel (caller gateway, edge,
 * connector, proxy, the Java SDK sample server), driven by the MCP Java SDK client and by the
 * official TypeScript SDK client ({@code src/test/node/gateway-client.mjs}). Every policy has its
 * own routes per client, so one client's requests never spend the other's rate budget.
 */
class PolicyTunnelIT {
  static final String ONE_KIB_OF_TEXT = "x".repeat(1024);
  @TempDir static Path dir;
  static SampleMcpServer mcp;
  static TunnelStack stack;
  static TunnelCaller caller;
  static CallerGateway gateway;
  static Path nodeDir;

  @BeforeAll
  static void start() throws Exception {
    nodeDir = Path.of(System.getProperty("user.dir")).resolve("src/test/node").toAbsolutePath();
    assertThat(nodeDir.resolve("node_modules/@modelcontextprotocol/sdk"))
        .as("npm packages in %s (scripts/test runs npm ci there)", nodeDir).isDirectory();
    mcp = SampleMcpServer.start("127.0.0.1");
    Map<String, String> routes = new java.util.LinkedHashMap<>();
    for (String r : List.of("tools", "auth", "small", "limited")) {
      routes.put(r + "-java", mcp.url());
      routes.put(r + "-ts", mcp.url());
    }
    StringBuilder policies = new StringBuilder("policies:\n");
    for (String client : List.of("java", "ts")) {
      policies.append("""
            tools-%1$s: {allowed_tools: [echo, add]}
            auth-%1$s: {require_authorization: true}
            small-%1$s: {max_request_bytes: 1024}
            limited-%1$s: {rate_limit: {requests_per_second: 0.001, burst: 2}}
          """.formatted(client));
    }
    stack = new TunnelStack(Files.createDirectories(dir.resolve("stack")), routes, policies.toString());
    caller = TunnelCaller.start(stack.callerSettings());
    gateway = CallerGateway.start(caller, new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close(Duration.ZERO);
    caller.close();
    stack.close();
    mcp.close();
  }

  @Test
  void allowedToolsJava() {
    McpSyncClient client = javaClient("tools-java", b -> { });
    try {
      client.initialize();
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("echo", "add");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "allowed")))))
          .isEqualTo("allowed");
      assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("hello", Map.of("name", "x"))))
          .hasMessageContaining("tool \"hello\" is not allowed on this route");
    } finally {
      client.closeGracefully();
    }
    assertThat(refusals("tools-java", "tool_not_allowed")).isEqualTo(1.0);
  }

  @Test
  void allowedToolsTypeScript() throws Exception {
    JsonNode ok = tsClient("tools-ts", Map.of(), "allowed", "echo");
    assertThat(names(ok)).containsExactly("echo", "add");
    assertThat(ok.get("echo").asText()).isEqualTo("allowed");
    assertThat(tsFailure("tools-ts", Map.of(), "x", "hello"))
        .contains("tool \"hello\" is not allowed on this route");
  }

  @Test
  void requireAuthorizationJava() {
    McpSyncClient anonymous = javaClient("auth-java", b -> { });
    try {
      // The SDK's own exception for a 401 (it would start an OAuth flow if it had one configured).
      assertThatThrownBy(anonymous::initialize).hasRootCauseInstanceOf(
          io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException.class);
    } finally {
      anonymous.close();
    }
    McpSyncClient withToken = javaClient("auth-java",
        b -> b.requestBuilder(java.net.http.HttpRequest.newBuilder()
            .header("Authorization", "Bearer any-token-the-upstream-checks")));
    try {
      withToken.initialize();
      assertThat(text(withToken.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "authorized")))))
          .isEqualTo("authorized");
    } finally {
      withToken.closeGracefully();
    }
    assertThat(refusals("auth-java", "unauthorized")).isEqualTo(1.0);
  }

  @Test
  void requireAuthorizationTypeScript() throws Exception {
    assertThat(tsFailure("auth-ts", Map.of(), "anonymous", "echo"))
        .contains("{\"error\":\"unauthorized\",\"message\":\"missing Authorization header\"}");
    assertThat(tsClient("auth-ts", Map.of("MCP_BEARER", "any-token-the-upstream-checks"), "authorized", "echo")
        .get("echo").asText()).isEqualTo("authorized");
    assertThat(refusals("auth-ts", "unauthorized")).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void maxRequestBytesJava() {
    McpSyncClient client = javaClient("small-java", b -> { });
    try {
      client.initialize();
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "small")))))
          .isEqualTo("small");
      assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("echo",
          Map.of("message", ONE_KIB_OF_TEXT)))).hasStackTraceContaining("status code: 413")
          .hasStackTraceContaining("request body exceeds max_request_bytes (1024 bytes)");
    } finally {
      client.close();
    }
    assertThat(refusals("small-java", "too_large")).isEqualTo(1.0);
  }

  @Test
  void maxRequestBytesTypeScript() throws Exception {
    assertThat(tsClient("small-ts", Map.of(), "small", "echo").get("echo").asText()).isEqualTo("small");
    assertThat(tsFailure("small-ts", Map.of(), ONE_KIB_OF_TEXT, "echo"))
        .contains("{\"error\":\"too_large\",\"message\":\"request body exceeds max_request_bytes (1024 bytes)\"}");
    assertThat(refusals("small-ts", "too_large")).isEqualTo(1.0);
  }

  @Test
  void rateLimitJava() {
    McpSyncClient client = javaClient("limited-java", b -> { });
    try {
      // The burst of 2 is spent during the SDK's start (initialize, notifications/initialized, …).
      assertThatThrownBy(() -> {
        client.initialize();
        client.listTools();
      }).hasStackTraceContaining("status code: 429")
          .hasStackTraceContaining("rate limit exceeded (0.001 requests per second, burst 2)");
    } finally {
      client.close();
    }
    assertThat(refusals("limited-java", "rate_limited")).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void rateLimitTypeScript() throws Exception {
    assertThat(tsFailure("limited-ts", Map.of(), "x", "echo"))
        .contains("{\"error\":\"rate_limited\",\"message\":\"rate limit exceeded (0.001 requests per second, burst 2)\"}");
    assertThat(refusals("limited-ts", "rate_limited")).isGreaterThanOrEqualTo(1.0);
  }

  private static McpSyncClient javaClient(String route,
      Consumer<HttpClientStreamableHttpTransport.Builder> customize) {
    var builder = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gateway.address().getPort())
        .endpoint("/" + route + "." + TunnelStack.DOMAIN + "/mcp");
    customize.accept(builder);
    return McpClient.sync(builder.build()).requestTimeout(Duration.ofSeconds(30)).build();
  }

  private static String text(McpSchema.CallToolResult r) {
    return ((McpSchema.TextContent) r.content().get(0)).text();
  }

  private static JsonNode tsClient(String route, Map<String, String> env, String message, String tool)
      throws Exception {
    try (ChildProcess client = ts(route, env, message, tool)) {
      assertThat(client.awaitExit(60)).as("client stderr: %s", client.stderr).isZero();
      return new ObjectMapper().readTree(String.join("\n", client.stdout));
    }
  }

  private static String tsFailure(String route, Map<String, String> env, String message, String tool)
      throws Exception {
    try (ChildProcess client = ts(route, env, message, tool)) {
      assertThat(client.awaitExit(60)).as("client stdout: %s", client.stdout).isEqualTo(1);
      return String.join("\n", client.stderr);
    }
  }

  private static ChildProcess ts(String route, Map<String, String> env, String message, String tool)
      throws Exception {
    String url = "http://127.0.0.1:" + gateway.address().getPort() + "/" + route + "." + TunnelStack.DOMAIN + "/mcp";
    return ChildProcess.start(nodeDir, env, List.of("node", "gateway-client.mjs", url, message, tool));
  }

  private static List<String> names(JsonNode out) {
    List<String> names = new ArrayList<>();
    out.get("tools").forEach(t -> names.add(t.asText()));
    return names;
  }

  private static double refusals(String route, String reason) {
    var counter = stack.proxy.registry().find("mcptunnel.proxy.policy.refusals").tag("route", route)
        .tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
