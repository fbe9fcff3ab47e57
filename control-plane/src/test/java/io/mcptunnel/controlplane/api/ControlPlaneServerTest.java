package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.controlplane.federation.InMemoryAuthenticationHistory;
import io.mcptunnel.controlplane.federation.InMemoryFederationDirectory;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import io.mcptunnel.controlplane.store.TestDatabase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** What survives a restart of the server on the same data directory. */
class ControlPlaneServerTest {
  @Test
  void accessTokensAndTunnelsSurviveARestart() throws Exception {
    ApiFixture first = new ApiFixture(TestDatabase.H2);
    String token = first.token();
    String id = first.call("POST", "/v1/tunnels", token, null).body().get("id").asText();
    String value = first.call("POST", "/v1/tunnels/" + id + "/reveal_token", token, null).body().get("tunnel_token").asText();
    first.server.close();

    try (ControlPlaneServer again = new ControlPlaneServer(new ControlPlaneConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), first.dataDirectory, null, ApiFixture.ZONE, 10),
        new InMemoryFederationDirectory(), new InMemoryAuthenticationHistory(10), IssuerUrlPolicy.PRODUCTION,
        first.clock)) {
      int port = again.start().getPort();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/v1/tunnels/" + id + "/reveal_token"))
          .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(ApiFixture.JSON.readTree(r.body()).get("tunnel_token").asText()).isEqualTo(value);
    } finally {
      first.close();
    }
  }
}
