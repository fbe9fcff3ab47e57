package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.controlplane.api.ApiFixture.Reply;
import io.mcptunnel.controlplane.store.TestDatabase;
import org.junit.jupiter.api.Test;

/** The Tunnels API happy path on a real PostgreSQL (the detailed contract runs on H2). */
class TunnelsApiPostgresTest {
  @Test
  void createRevealRegisterListArchive() {
    try (ApiFixture api = new ApiFixture(TestDatabase.POSTGRES)) {
      String token = api.token();
      JsonNode tunnel = api.call("POST", "/v1/tunnels", token, "{\"display_name\":\"pg\"}").body();
      String path = "/v1/tunnels/" + tunnel.get("id").asText();
      assertThat(tunnel.get("display_name").asText()).isEqualTo("pg");
      assertThat(api.call("POST", path + "/reveal_token", token, null).body().get("tunnel_token").asText()).isNotBlank();
      Reply cert = api.call("POST", path + "/certificates", token,
          "{\"ca_certificate_pem\":" + TunnelsApiTest.quoted(TunnelsApiTest.caPem()) + "}");
      assertThat(cert.status()).as("%s", cert.body()).isEqualTo(200);
      assertThat(api.call("GET", path + "/certificates", token, null).body().get("data")).hasSize(1);
      assertThat(TunnelsApiTest.ids(api.call("GET", "/v1/tunnels", token, null).body())).containsExactly(tunnel.get("id").asText());
      Reply archived = api.call("POST", path + "/archive", token, null);
      assertThat(archived.status()).isEqualTo(200);
      assertThat(archived.body().get("archived_at").isNull()).isFalse();
    }
  }
}
