package io.mcptunnel.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.sample.oauth.OAuthResourceConfig;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.OAuthClientFlow;
import io.mcptunnel.testing.TestOidcIssuer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample server as an OAuth resource server, driven the way an MCP client drives it: 401 →
 * resource_metadata → protected-resource metadata → authorization-server metadata → token endpoint
 * (client_credentials, RFC 8707 resource) → the MCP Java SDK client with the bearer token.
 */
class SampleMcpServerOAuthIT {
  static TestOidcIssuer issuer;
  static SampleMcpServer server;
  static URI mcpUrl;
  static String resource;
  static String metadataUrl;
  static final OAuthClientFlow flow = new OAuthClientFlow();

  @BeforeAll
  static void start() throws Exception {
    issuer = TestOidcIssuer.start(Clock.systemUTC());
    issuer.registerClient("mcp-client", "client-secret-1", "mcp:tools", "profile");
    issuer.registerClient("reader", "client-secret-2", "profile");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    resource = "http://127.0.0.1:" + port + "/mcp";
    metadataUrl = "http://127.0.0.1:" + port + "/.well-known/oauth-protected-resource/mcp";
    server = SampleMcpServer.start("127.0.0.1", port, OAuthResourceConfig.builder().resource(resource)
        .issuer(issuer.issuer()).jwksUrl(issuer.jwksUri().toString()).build());
    mcpUrl = URI.create(resource);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    issuer.close();
  }

  @Test
  void withoutATokenAnswers401NamingTheMetadata() throws Exception {
    HttpResponse<String> answer = flow.initialize(mcpUrl, null);
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer resource_metadata=\"" + metadataUrl + "\", scope=\"mcp:tools\"");
    assertThat(answer.body()).isEqualTo("{\"error\":\"unauthorized\",\"error_description\":\"a bearer token is required\"}");
  }

  @Test
  void everyPathOfTheMcpServletNeedsAToken() throws Exception {
    HttpResponse<String> get = flow.get(URI.create("http://127.0.0.1:" + server.port() + "/mcp/../mcp"));
    assertThat(get.statusCode()).isEqualTo(401);
    HttpResponse<String> other = flow.get(URI.create("http://127.0.0.1:" + server.port() + "/anything"));
    assertThat(other.statusCode()).isEqualTo(401);
  }

  @Test
  void metadataDocumentsAreExactAndOpen() throws Exception {
    String expected = "{\"resource\":\"" + resource + "\",\"authorization_servers\":[\"" + issuer.issuer()
        + "\"],\"scopes_supported\":[\"mcp:tools\"],\"bearer_methods_supported\":[\"header\"]}";
    for (String path : List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")) {
      HttpResponse<String> md = flow.get(URI.create("http://127.0.0.1:" + server.port() + path));
      assertThat(md.statusCode()).as(path).isEqualTo(200);
      assertThat(md.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
      assertThat(md.body()).as(path).isEqualTo(expected);
    }
    OAuthClientFlow.Discovery d = flow.discover(mcpUrl, null);
    assertThat(d.metadataUrl()).hasToString(metadataUrl);
    assertThat(d.authorizationServerMetadata()).containsEntry("issuer", issuer.issuer())
        .containsEntry("token_endpoint", issuer.issuer() + "/token");
  }

  @Test
  void theDiscoveredTokenWorksWithTheMcpSdkClient() throws Exception {
    OAuthClientFlow.Discovery d = flow.discover(mcpUrl, null);
    String token = flow.accessToken(d, "mcp-client", "client-secret-1", "mcp:tools");
    assertThat(issuer.tokenRequests()).last().isEqualTo(
        new TestOidcIssuer.TokenRequest("mcp-client", List.of(resource), "mcp:tools"));
    McpSyncClient client = sdkClient(token);
    try {
      client.initialize();
      assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
          .containsExactlyInAnyOrder("echo", "add", "hello", "whoami");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hi")))))
          .isEqualTo("hi");
      assertThat(text(client.callTool(new McpSchema.CallToolRequest("whoami", Map.of())))).isEqualTo("mcp-client");
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void theSdkClientWithoutATokenCannotInitialize() {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
        .endpoint(SampleMcpServer.ENDPOINT).build()).requestTimeout(Duration.ofSeconds(10)).build();
    try {
      assertThatThrownBy(client::initialize).isNotNull();
    } finally {
      client.closeGracefully();
    }
  }

  @Test
  void aTokenForAnotherResourceIsRefused() throws Exception {
    OAuthClientFlow.Discovery d = flow.discover(mcpUrl, null);
    String other = token(flow.requestToken(d.tokenEndpoint(), "mcp-client", "client-secret-1",
        "http://127.0.0.1:" + server.port() + "/other-mcp", "mcp:tools"));
    try (LogCapture logs = new LogCapture()) {
      assertInvalid(other, "the token was issued for another resource");
      assertThat(logs.lines()).contains("INFO oauth request refused reason=wrong_audience");
      assertThat(String.join("\n", logs.lines())).doesNotContain(other).doesNotContain(other.split("\\.")[2]);
    }
    String none = token(flow.requestToken(d.tokenEndpoint(), "mcp-client", "client-secret-1", null, "mcp:tools"));
    assertInvalid(none, "the token was issued for another resource");
  }

  @Test
  void expiredTokensAreRefused() throws Exception {
    String expired = issuer.token("mcp-client", resource).claim("scope", "mcp:tools")
        .issuedAt(Instant.now().minusSeconds(900)).expiresAt(Instant.now().minusSeconds(300)).sign(JWSAlgorithm.RS256);
    assertInvalid(expired, "the token has expired");
  }

  @Test
  void tokensNamingAnotherIssuerAreRefused() throws Exception {
    String wrongIss = issuer.token("mcp-client", resource).claim("scope", "mcp:tools")
        .issuer("https://evil.example").sign(JWSAlgorithm.ES256);
    assertInvalid(wrongIss, "the token's issuer is not trusted here");
    try (TestOidcIssuer stranger = TestOidcIssuer.start(Clock.systemUTC())) {
      stranger.registerClient("mcp-client", "client-secret-1", "mcp:tools");
      String foreign = token(flow.requestToken(stranger.tokenEndpoint(), "mcp-client", "client-secret-1", resource,
          "mcp:tools"));
      assertInvalid(foreign, "the token's signature does not verify");
    }
  }

  @Test
  void symmetricAndUnsignedTokensAreRefused() throws Exception {
    assertInvalid(issuer.token("mcp-client", resource).claim("scope", "mcp:tools").signHs256WithPublicKey(),
        "the token's signing algorithm is not accepted");
    assertInvalid(issuer.token("mcp-client", resource).claim("scope", "mcp:tools").unsigned(),
        "the token's signing algorithm is not accepted");
    assertInvalid(issuer.token("mcp-client", resource).claim("scope", "mcp:tools")
        .signWithUnpublishedKey(JWSAlgorithm.RS256), "the token's signature does not verify");
    assertInvalid("not-a-jwt", "the token is not a signed JWT");
  }

  @Test
  void unknownKeyIdsAreRefusedEvenWhenTheKeyRefreshIsRateLimited() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertInvalid(issuer.token("mcp-client", resource).claim("scope", "mcp:tools").keyId("no-such-key-" + i)
          .sign(JWSAlgorithm.RS256), "no published key matches the token");
    }
  }

  @Test
  void aValidTokenWithoutTheScopeAnswers403() throws Exception {
    OAuthClientFlow.Discovery d = flow.discover(mcpUrl, null);
    String token = flow.accessToken(d, "reader", "client-secret-2", null);
    HttpResponse<String> answer = flow.initialize(mcpUrl, token);
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.headers().allValues("WWW-Authenticate")).containsExactly(
        "Bearer error=\"insufficient_scope\", scope=\"mcp:tools\", resource_metadata=\"" + metadataUrl + "\"");
  }

  @Test
  void theTokenEndpointRefusesBadClientsAndScopes() throws Exception {
    HttpResponse<String> badSecret = flow.requestToken(issuer.tokenEndpoint(), "mcp-client", "wrong", resource, null);
    assertThat(badSecret.statusCode()).isEqualTo(401);
    assertThat(badSecret.body()).isEqualTo("{\"error\":\"invalid_client\"}");
    HttpResponse<String> badScope = flow.requestToken(issuer.tokenEndpoint(), "reader", "client-secret-2", resource,
        "mcp:tools");
    assertThat(badScope.statusCode()).isEqualTo(400);
    assertThat(badScope.body()).isEqualTo("{\"error\":\"invalid_scope\"}");
  }

  private static void assertInvalid(String token, String description) throws Exception {
    HttpResponse<String> answer = flow.initialize(mcpUrl, token);
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().allValues("WWW-Authenticate")).containsExactly(
        "Bearer error=\"invalid_token\", error_description=\"" + description + "\", resource_metadata=\""
            + metadataUrl + "\", scope=\"mcp:tools\"");
  }

  private static String token(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return (String) OAuthClientFlow.json(answer.body()).get("access_token");
  }

  static McpSyncClient sdkClient(String token) {
    return McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
            .endpoint(SampleMcpServer.ENDPOINT)
            .httpRequestCustomizer((builder, method, uri, body, context) ->
                builder.header("Authorization", "Bearer " + token))
            .build())
        .requestTimeout(Duration.ofSeconds(10)).build();
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }
}
