package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.sample.oauth.OAuthResourceConfig;
import io.mcptunnel.testing.OAuthClientFlow;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestOidcIssuer;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OAuth-protected sample server behind the proxy, configured with the public URL a caller
 * uses ({@code https://mcp.<tunnel-domain>/mcp}): the challenge and the metadata reached through
 * the tunnel name exactly that URL, and the caller's bearer token passes through untouched.
 */
class ProxyOAuthUpstreamIT {
  static final String HOST = "mcp." + ProxyHarness.DOMAIN;
  static final String PUBLIC = "https://" + HOST + "/mcp";
  static final String PUBLIC_METADATA = "https://" + HOST + "/.well-known/oauth-protected-resource/mcp";
  @TempDir Path dir;
  TestOidcIssuer issuer;
  SampleMcpServer mcp;
  ProxyHarness h;

  @BeforeEach
  void start() throws Exception {
    issuer = TestOidcIssuer.start(Clock.systemUTC());
    issuer.registerClient("tunnel-client", "tunnel-secret", "mcp:tools");
    mcp = SampleMcpServer.start("127.0.0.1", 0, OAuthResourceConfig.builder().resource(PUBLIC)
        .issuer(issuer.issuer()).jwksUrl(issuer.jwksUri().toString()).build());
    h = new ProxyHarness(dir);
    h.start("routes:\n  mcp: %s\nupstream:\n  allowed_ips: [127.0.0.1/32]\n".formatted(mcp.url()));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    mcp.close();
    issuer.close();
  }

  @Test
  void challengeAndMetadataThroughTheTunnelNameThePublicUrl() throws Exception {
    OAuthClientFlow flow = new OAuthClientFlow();
    try (TestCaller c = h.caller(HOST)) {
      TestCaller.Response refused = ProxyMcpIT.post(c, null, OAuthClientFlow.INITIALIZE);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.headers().getAll("WWW-Authenticate"))
          .containsExactly("Bearer resource_metadata=\"" + PUBLIC_METADATA + "\", scope=\"mcp:tools\"");

      String path = java.net.URI.create(OAuthClientFlow.param(refused.headers().get("WWW-Authenticate"),
          "resource_metadata")).getRawPath();
      TestCaller.Response metadata = c.call(HttpMethod.GET, path, Map.of(), "");
      assertThat(metadata.status()).isEqualTo(200);
      Map<String, Object> doc = OAuthClientFlow.json(metadata.text());
      assertThat(doc).containsEntry("resource", PUBLIC)
          .containsEntry("authorization_servers", List.of(issuer.issuer()));

      String token = (String) OAuthClientFlow.json(flow.requestToken(issuer.tokenEndpoint(), "tunnel-client",
          "tunnel-secret", (String) doc.get("resource"), "mcp:tools").body()).get("access_token");
      TestCaller.Response init = c.call(HttpMethod.POST, SampleMcpServer.ENDPOINT, Map.of(
          "Content-Type", "application/json", "Accept", "application/json, text/event-stream",
          "Authorization", "Bearer " + token), OAuthClientFlow.INITIALIZE);
      assertThat(init.status()).isEqualTo(200);
      assertThat(ProxyMcpIT.message(init).at("/result/serverInfo/name").asText()).isEqualTo("mcptunnel-sample-server");

      // A token bound to the server's loopback address is not a token for the public resource.
      String local = (String) OAuthClientFlow.json(flow.requestToken(issuer.tokenEndpoint(), "tunnel-client",
          "tunnel-secret", mcp.url() + "/mcp", "mcp:tools").body()).get("access_token");
      TestCaller.Response wrong = c.call(HttpMethod.POST, SampleMcpServer.ENDPOINT, Map.of(
          "Content-Type", "application/json", "Accept", "application/json, text/event-stream",
          "Authorization", "Bearer " + local), OAuthClientFlow.INITIALIZE);
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.headers().get("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\", "
          + "error_description=\"the token was issued for another resource\"");
    }
  }
}
