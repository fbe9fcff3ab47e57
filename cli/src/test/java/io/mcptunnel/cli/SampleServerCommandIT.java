package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.testing.OAuthClientFlow;
import io.mcptunnel.testing.TestOidcIssuer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcptunnel sample-server} in OAuth mode, as run for a demo behind a tunnel: the challenge and
 * the metadata name the PUBLIC URL given as --resource, a token for that resource from the loopback
 * authorization server calls the tools, and SIGTERM stops it with exit 0.
 */
class SampleServerCommandIT {
  private static final String PUBLIC = "https://echo.abcd1234.tunnel.example/mcp";
  private static final String PUBLIC_METADATA =
      "https://echo.abcd1234.tunnel.example/.well-known/oauth-protected-resource/mcp";

  @TempDir
  Path dir;

  private ChildProcess child;
  private TestOidcIssuer issuer;

  @AfterEach
  void stop() {
    if (child != null) {
      child.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @Test
  void servesTheOauthFlowForThePublicResourceAndStopsOnSigterm() throws Exception {
    issuer = TestOidcIssuer.start(Clock.systemUTC());
    issuer.registerClient("demo-client", "demo-secret", "mcp:tools");
    int port = ProxyFiles.freePort();
    child = ChildProcess.mcptunnel(dir, Map.of(), List.of("sample-server", "--listen", "127.0.0.1:" + port,
        "--oauth-issuer", issuer.issuer(), "--oauth-jwks-url", issuer.jwksUri().toString(), "--resource", PUBLIC));
    child.awaitLine(l -> l.equals("Ctrl-C stops it."), 30);
    assertThat(child.stderr).contains(
        "  MCP endpoint : http://127.0.0.1:" + port + "/mcp (tools: echo, add, hello, whoami)",
        "  resource     : " + PUBLIC + " (scopes: mcp:tools; issuers: " + issuer.issuer() + ")",
        "  metadata     : " + PUBLIC_METADATA + " (served here at http://127.0.0.1:" + port
            + "/.well-known/oauth-protected-resource/mcp)");

    URI local = URI.create("http://127.0.0.1:" + port);
    OAuthClientFlow flow = new OAuthClientFlow();
    HttpResponse<String> first = flow.initialize(local.resolve("/mcp"), null);
    assertThat(first.statusCode()).isEqualTo(401);
    assertThat(first.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer resource_metadata=\"" + PUBLIC_METADATA + "\", scope=\"mcp:tools\"");

    // The public host only exists behind the tunnel; here the metadata is fetched from the local origin.
    OAuthClientFlow.Discovery d = flow.discover(local.resolve("/mcp"), local);
    assertThat(d.metadataBody()).isEqualTo("{\"resource\":\"" + PUBLIC + "\",\"authorization_servers\":[\""
        + issuer.issuer() + "\"],\"scopes_supported\":[\"mcp:tools\"],\"bearer_methods_supported\":[\"header\"]}");
    String token = flow.accessToken(d, "demo-client", "demo-secret", "mcp:tools");
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(local.toString())
            .endpoint("/mcp")
            .httpRequestCustomizer((b, method, uri, body, ctx) -> b.header("Authorization", "Bearer " + token))
            .build())
        .requestTimeout(Duration.ofSeconds(10)).build();
    try {
      client.initialize();
      McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hi")));
      assertThat(((McpSchema.TextContent) echo.content().get(0)).text()).isEqualTo("hi");
      McpSchema.CallToolResult who = client.callTool(new McpSchema.CallToolRequest("whoami", Map.of()));
      assertThat(((McpSchema.TextContent) who.content().get(0)).text()).isEqualTo("demo-client");
    } finally {
      client.closeGracefully();
    }
    assertThat(child.stdout).noneMatch(l -> l.contains(token.substring(token.lastIndexOf('.') + 1)));

    child.sigterm();
    assertThat(child.awaitExit(20)).as("exit code; stderr: %s", child.stderr).isZero();
  }

  @Test
  void theTypeScriptSdkClientDoesTheOauthFlowItself() throws Exception {
    Path nodeDir = Path.of(System.getProperty("user.dir")).resolve("src/test/node").toAbsolutePath();
    assertThat(nodeDir.resolve("node_modules/@modelcontextprotocol/sdk")).as("run npm ci in %s", nodeDir).isDirectory();
    issuer = TestOidcIssuer.start(Clock.systemUTC());
    issuer.registerClient("ts-client", "ts-secret", "mcp:tools");
    int port = ProxyFiles.freePort();
    String resource = "http://127.0.0.1:" + port + "/mcp";
    child = ChildProcess.mcptunnel(dir, Map.of(), List.of("sample-server", "--listen", "127.0.0.1:" + port,
        "--oauth-issuer", issuer.issuer(), "--oauth-jwks-url", issuer.jwksUri().toString(), "--resource", resource));
    child.awaitLine(l -> l.equals("Ctrl-C stops it."), 30);

    try (ChildProcess client = ChildProcess.start(nodeDir, Map.of("OAUTH_CLIENT_SECRET", "ts-secret"),
        List.of("node", "oauth-client.mjs", resource, "ts-client", issuer.issuer(), "hello over oauth"))) {
      assertThat(client.awaitExit(60)).as("client stderr: %s", client.stderr).isZero();
      assertThat(client.stdout).containsExactly(
          "{\"tools\":[\"echo\",\"add\",\"hello\",\"whoami\"],\"echo\":\"hello over oauth\",\"whoami\":\"ts-client\"}");
    }
    // The SDK asked for a token bound to this server (RFC 8707), with the scope it was configured with.
    assertThat(issuer.tokenRequests()).containsExactly(
        new TestOidcIssuer.TokenRequest("ts-client", List.of(resource), "mcp:tools"));
  }
}
