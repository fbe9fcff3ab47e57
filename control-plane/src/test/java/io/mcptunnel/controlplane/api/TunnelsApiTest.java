package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.controlplane.api.ApiFixture.Reply;
import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.federation.AccessTokenGrant;
import io.mcptunnel.controlplane.federation.AccessTokenIssuer;
import io.mcptunnel.controlplane.federation.AccessTokenKey;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Tunnels API over real HTTP on the embedded database: shapes, statuses, envelopes, auth. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TunnelsApiTest {
  static final Set<String> TUNNEL_FIELDS = Set.of("id", "type", "display_name", "domain", "created_at", "archived_at");
  static final Set<String> TOKEN_FIELDS = Set.of("id", "type", "tunnel_token");
  static final Set<String> CERT_FIELDS =
      Set.of("id", "type", "tunnel_id", "fingerprint", "created_at", "expires_at", "archived_at");

  ApiFixture api;
  String token;

  @BeforeAll
  void start() {
    api = new ApiFixture(TestDatabase.H2, 1000);
    token = api.token();
  }

  @AfterAll
  void stop() {
    api.close();
  }

  static Set<String> fields(JsonNode node) {
    Set<String> out = new java.util.HashSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static void assertError(Reply reply, int status, String type) {
    assertThat(reply.status()).as("status of %s", reply.body()).isEqualTo(status);
    assertThat(reply.header("content-type")).startsWith("application/json");
    assertThat(fields(reply.body())).containsExactlyInAnyOrder("type", "error");
    assertThat(reply.body().get("type").asText()).isEqualTo("error");
    assertThat(fields(reply.body().get("error"))).containsExactlyInAnyOrder("type", "message");
    assertThat(reply.body().get("error").get("type").asText()).isEqualTo(type);
    assertThat(reply.body().get("error").get("message").asText()).isNotBlank().doesNotContain("at io.", "Exception");
  }

  JsonNode create(String body) {
    Reply r = api.call("POST", "/v1/tunnels", token, body);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.body();
  }

  static String caPem() {
    return PemFiles.toPem(TestPki.create("tenant CA").ca().certificate());
  }

  @Test
  void createAnswersTheTunnelObject() {
    JsonNode t = create("{\"display_name\":\"billing\"}");
    assertThat(fields(t)).isEqualTo(TUNNEL_FIELDS);
    assertThat(t.get("id").asText()).startsWith("tnl_");
    assertThat(t.get("type").asText()).isEqualTo("tunnel");
    assertThat(t.get("display_name").asText()).isEqualTo("billing");
    assertThat(t.get("domain").asText()).matches("[a-z0-9]{8}\\." + ApiFixture.ZONE.replace(".", "\\."));
    assertThat(t.get("created_at").asText()).endsWith("Z");
    assertThat(Instant.parse(t.get("created_at").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(t.get("archived_at").isNull()).isTrue();
  }

  @Test
  void createWithoutBodyHasNullDisplayName() {
    JsonNode t = create(null);
    assertThat(t.get("display_name").isNull()).isTrue();
    assertThat(api.call("GET", "/v1/tunnels/" + t.get("id").asText(), token, null).body()).isEqualTo(t);
  }

  @Test
  void listPagesNewestFirstWithAnOpaqueCursor() {
    String t = api.token("org_a", "ws_2", ApiFixture.SCOPE);
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(0, api.call("POST", "/v1/tunnels", t, "{}").body().get("id").asText());
    }
    Reply first = api.call("GET", "/v1/tunnels?limit=2", t, null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(fields(first.body())).containsExactlyInAnyOrder("data", "next_page");
    assertThat(ids(first.body())).containsExactly(created.get(0), created.get(1));
    assertThat(fields(first.body().get("data").get(0))).isEqualTo(TUNNEL_FIELDS);
    String next = first.body().get("next_page").asText();
    Reply second = api.call("GET", "/v1/tunnels?limit=2&page=" + next, t, null);
    assertThat(ids(second.body())).containsExactly(created.get(2));
    assertThat(second.body().get("next_page").isNull()).isTrue();
  }

  @Test
  void archivedTunnelsOnlyWhenAsked() {
    String t = api.token("org_b", "ws_b", ApiFixture.SCOPE);
    String id = api.call("POST", "/v1/tunnels", t, null).body().get("id").asText();
    api.call("POST", "/v1/tunnels/" + id + "/archive", t, null);
    assertThat(ids(api.call("GET", "/v1/tunnels", t, null).body())).doesNotContain(id);
    assertThat(ids(api.call("GET", "/v1/tunnels?include_archived=true", t, null).body())).contains(id);
  }

  static List<String> ids(JsonNode list) {
    List<String> out = new ArrayList<>();
    for (Iterator<JsonNode> it = list.get("data").elements(); it.hasNext(); ) {
      out.add(it.next().get("id").asText());
    }
    return out;
  }

  @Test
  void archiveIsIdempotentAndFinal() {
    String id = create(null).get("id").asText();
    Reply first = api.call("POST", "/v1/tunnels/" + id + "/archive", token, null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("archived_at").asText()).endsWith("Z");
    assertThat(api.call("POST", "/v1/tunnels/" + id + "/archive", token, null).body()).isEqualTo(first.body());
    assertError(api.call("POST", "/v1/tunnels/" + id + "/reveal_token", token, null), 409, "invalid_request_error");
  }

  @Test
  void revealIsStableUntilRotated() {
    String id = create(null).get("id").asText();
    Reply reveal = api.call("POST", "/v1/tunnels/" + id + "/reveal_token", token, null);
    assertThat(reveal.status()).isEqualTo(200);
    assertThat(fields(reveal.body())).isEqualTo(TOKEN_FIELDS);
    assertThat(reveal.body().get("type").asText()).isEqualTo("tunnel_token");
    assertThat(api.call("POST", "/v1/tunnels/" + id + "/reveal_token", token, null).body()).isEqualTo(reveal.body());
    Reply rotated = api.call("POST", "/v1/tunnels/" + id + "/rotate_token", token, "{\"reason\":\"leaked in CI log\"}");
    assertThat(rotated.status()).isEqualTo(200);
    assertThat(fields(rotated.body())).isEqualTo(TOKEN_FIELDS);
    assertThat(rotated.body().get("id")).isNotEqualTo(reveal.body().get("id"));
    assertThat(rotated.body().get("tunnel_token")).isNotEqualTo(reveal.body().get("tunnel_token"));
    assertThat(api.call("POST", "/v1/tunnels/" + id + "/reveal_token", token, null).body()).isEqualTo(rotated.body());
    assertThat(api.call("POST", "/v1/tunnels/" + id + "/rotate_token", token, null).status()).isEqualTo(200);
  }

  @Test
  void certificatesRegisterListGetArchive() {
    String id = create(null).get("id").asText();
    String path = "/v1/tunnels/" + id + "/certificates";
    Reply registered = api.call("POST", path, token, ApiFixture.JSON.createObjectNode()
        .put("ca_certificate_pem", caPem()).toString());
    assertThat(registered.status()).as("%s", registered.body()).isEqualTo(200);
    JsonNode cert = registered.body();
    assertThat(fields(cert)).isEqualTo(CERT_FIELDS);
    assertThat(cert.get("id").asText()).startsWith("tcrt_");
    assertThat(cert.get("type").asText()).isEqualTo("tunnel_certificate");
    assertThat(cert.get("tunnel_id").asText()).isEqualTo(id);
    assertThat(cert.get("fingerprint").asText()).matches("[0-9a-f]{64}");
    assertThat(cert.get("expires_at").asText()).endsWith("Z");
    assertThat(cert.get("archived_at").isNull()).isTrue();

    Reply list = api.call("GET", path, token, null);
    assertThat(fields(list.body())).containsExactlyInAnyOrder("data", "next_page");
    assertThat(list.body().get("data").get(0)).isEqualTo(cert);
    assertThat(list.body().get("next_page").isNull()).isTrue();
    String certPath = path + "/" + cert.get("id").asText();
    assertThat(api.call("GET", certPath, token, null).body()).isEqualTo(cert);

    Reply archived = api.call("POST", certPath + "/archive", token, null);
    assertThat(archived.status()).isEqualTo(200);
    assertThat(archived.body().get("archived_at").asText()).endsWith("Z");
    assertThat(api.call("POST", certPath + "/archive", token, null).body()).isEqualTo(archived.body());
  }

  @Test
  void aThirdActiveCertificateIsAConflict() {
    String path = "/v1/tunnels/" + create(null).get("id").asText() + "/certificates";
    for (int i = 0; i < 2; i++) {
      assertThat(api.call("POST", path, token, "{\"ca_certificate_pem\":" + quoted(caPem()) + "}").status()).isEqualTo(200);
    }
    assertError(api.call("POST", path, token, "{\"ca_certificate_pem\":" + quoted(caPem()) + "}"), 409,
        "invalid_request_error");
  }

  @Test
  void anInvalidCaIsA400NamingTheField() {
    String path = "/v1/tunnels/" + create(null).get("id").asText() + "/certificates";
    Reply r = api.call("POST", path, token, "{\"ca_certificate_pem\":\"not a pem\"}");
    assertError(r, 400, "invalid_request_error");
    assertThat(r.body().get("error").get("message").asText()).startsWith("ca_certificate_pem:");
    assertError(api.call("POST", path, token, "{}"), 400, "invalid_request_error");
  }

  static String quoted(String s) {
    return ApiFixture.JSON.getNodeFactory().textNode(s).toString();
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "POST | /v1/tunnels                          | {                          | 400 | invalid_request_error",
      "POST | /v1/tunnels                          | []                         | 400 | invalid_request_error",
      "POST | /v1/tunnels                          | {} {}                      | 400 | invalid_request_error",
      "POST | /v1/tunnels                          | {\"display_name\":7}       | 400 | invalid_request_error",
      "POST | /v1/tunnels                          | {\"displayname\":\"x\"}    | 400 | invalid_request_error",
      "GET  | /v1/tunnels?limit=abc                | -                          | 400 | invalid_request_error",
      "GET  | /v1/tunnels?limit=0                  | -                          | 400 | invalid_request_error",
      "GET  | /v1/tunnels?limit=1001               | -                          | 400 | invalid_request_error",
      "GET  | /v1/tunnels?limit=1&limit=2          | -                          | 400 | invalid_request_error",
      "GET  | /v1/tunnels?include_archived=yes     | -                          | 400 | invalid_request_error",
      "GET  | /v1/tunnels?page=bm90LWEtY3Vyc29y    | -                          | 400 | invalid_request_error",
      "GET  | /v1/nothing                          | -                          | 404 | not_found_error",
      "GET  | /                                    | -                          | 404 | not_found_error",
      "GET  | /v1/tunnels/tnl_unknown              | -                          | 404 | not_found_error",
      "GET  | /v1/tunnels/tnl_x/bogus              | -                          | 404 | not_found_error",
      "GET  | /v1/tunnels//certificates            | -                          | 400 | invalid_request_error", // Jetty refuses the ambiguous empty segment
      "GET  | /v1/tunnels/tnl_unknown/certificates/tcrt_x | -                   | 404 | not_found_error",
      "DELETE | /v1/tunnels                        | -                          | 405 | invalid_request_error",
      "GET  | /v1/tunnels/tnl_x/archive            | -                          | 405 | invalid_request_error",
      "PUT  | /v1/tunnels/tnl_x                    | -                          | 405 | invalid_request_error",
      "GET  | /v1/oauth/token                      | -                          | 405 | invalid_request_error",
  })
  void badRequestsGetTheEnvelope(String method, String path, String body, int status, String type) {
    Reply r = api.call(method, path, token, body);
    assertError(r, status, type);
    if (status == 405) {
      assertThat(r.header("allow")).isNotBlank();
    }
  }

  @Test
  void missingOrBadTokensAre401() {
    Reply none = api.call("GET", "/v1/tunnels", null, null);
    assertError(none, 401, "authentication_error");
    assertThat(none.header("www-authenticate")).isEqualTo("Bearer");
    assertError(api.call("GET", "/v1/tunnels", "not-a-jwt", null), 401, "authentication_error");
    String foreign = new AccessTokenIssuer(AccessTokenKey.generate(), ControlPlaneConfig.TOKEN_ISSUER, api.clock)
        .issue(new AccessTokenGrant("sa_x", "org_a", "ws_1", ApiFixture.SCOPE, Duration.ofMinutes(5))).token();
    Reply forged = api.call("GET", "/v1/tunnels", foreign, null);
    assertError(forged, 401, "authentication_error");
    assertThat(forged.body().get("error").get("message").asText()).isEqualTo("invalid bearer token");
    assertError(api.call("POST", "/v1/tunnels/tnl_x/archive", null, null), 401, "authentication_error");
  }

  @Test
  void scopeWorkspaceAndOrganizationAreEnforced() {
    String id = create(null).get("id").asText();
    assertError(api.call("GET", "/v1/tunnels", api.token("org_a", "ws_1", "workspace:read"), null),
        403, "permission_error");
    assertError(api.call("GET", "/v1/tunnels/" + id, api.token("org_a", "ws_2", ApiFixture.SCOPE), null),
        403, "permission_error");
    assertError(api.call("POST", "/v1/tunnels/" + id + "/archive", api.token("org_b", "ws_b", ApiFixture.SCOPE), null),
        404, "not_found_error");
    assertThat(api.call("GET", "/v1/tunnels/" + id, token, null).body().get("archived_at").isNull()).isTrue();
  }

  @Test
  void auditNamesTheServiceAccountAndSourceAddress() {
    String id = create("{\"display_name\":\"audited\"}").get("id").asText();
    List<AuditEvent> events = new AuditLog(api.server.database()).query("org_a", 0, 10_000);
    assertThat(events).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("tunnel.create");
      assertThat(e.target()).isEqualTo(id);
      assertThat(e.actor()).isEqualTo("sa_test");
      assertThat(e.sourceAddress()).isEqualTo("127.0.0.1");
    });
  }

  @Test
  void anOversizedBodyIs413() {
    String big = "{\"display_name\":\"" + "x".repeat(HttpCall.MAX_BODY_BYTES) + "\"}";
    assertError(api.call("POST", "/v1/tunnels", token, big), 413, "invalid_request_error");
  }

  @Test
  void healthz() {
    Reply r = api.call("GET", "/healthz", null, null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void theActiveTunnelLimitIsA409() {
    try (ApiFixture small = new ApiFixture(TestDatabase.H2, 1)) {
      String t = small.token();
      assertThat(small.call("POST", "/v1/tunnels", t, null).status()).isEqualTo(200);
      assertError(small.call("POST", "/v1/tunnels", t, null), 409, "invalid_request_error");
    }
  }
}
