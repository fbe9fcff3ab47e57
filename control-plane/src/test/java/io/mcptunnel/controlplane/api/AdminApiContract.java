package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.controlplane.api.ApiFixture.Reply;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.testing.TestOidcIssuer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The admin API over HTTP (H2, loopback): auth, validation, each resource, audit export, and end to end. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest {
  static final String AUD = "mcptunnel-admin-test";
  ApiFixture api;
  TestOidcIssuer idp;
  String admin;

  @BeforeAll
  void start() throws Exception {
    api = new ApiFixture(TestDatabase.H2, 10, true);
    idp = TestOidcIssuer.start(api.clock);
    admin = Files.readString(api.dataDirectory.resolve(AdminTokenFile.FILE_NAME)).trim();
  }

  @AfterAll
  void stop() {
    idp.close();
    api.close();
  }

  Reply call(String method, String path, String body) {
    return api.call(method, path, admin, body);
  }

  JsonNode ok(Reply r) {
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.body();
  }

  static void assertError(Reply r, int status, String type) {
    assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
    assertThat(r.body().get("type").asText()).isEqualTo("error");
    assertThat(r.body().at("/error/type").asText()).isEqualTo(type);
  }

  @Test
  void theAdminTokenFileIsOwnerOnly() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
        api.dataDirectory.resolve(AdminTokenFile.FILE_NAME)))).isEqualTo("rw-------");
    assertThat(admin.length()).isGreaterThanOrEqualTo(AdminTokenFile.MIN_LENGTH);
  }

  @Test
  void withoutTheAdminTokenEverythingIs401AndAnAccessTokenIsNotEnough() {
    assertError(api.call("GET", "/v1/admin/organizations", null, null), 401, "authentication_error");
    Reply wrong = api.call("GET", "/v1/admin/organizations", admin + "x", null);
    assertError(wrong, 401, "authentication_error");
    assertThat(wrong.response().body()).doesNotContain(admin);
    assertError(api.call("GET", "/v1/admin/organizations", api.token(), null), 401, "authentication_error");
    assertError(api.call("GET", "/v1/admin/organizations/org_a/audit/export", api.token(), null), 401,
        "authentication_error");
    assertError(call("GET", "/v1/admin/nothing", null), 404, "not_found_error");
    assertError(call("DELETE", "/v1/admin/organizations", null), 405, "invalid_request_error");
    assertError(call("GET", "/v1/admin/organizations/org_nope/workspaces", null), 404, "not_found_error");
  }

  @Test
  void validationErrorsUseTheEnvelope() {
    assertError(call("POST", "/v1/admin/organizations", "{\"max_active_tunnels\":0}"), 400, "invalid_request_error");
    assertError(call("POST", "/v1/admin/organizations", "{\"bogus\":1}"), 400, "invalid_request_error");
    assertError(call("POST", "/v1/admin/organizations/org_a/federation_issuers",
        "{\"issuer_url\":\"ftp://x\"}"), 400, "invalid_request_error");
    assertError(call("POST", "/v1/admin/organizations/org_a/federation_rules",
        "{\"issuer_id\":\"fiss_x\",\"match\":{\"audience\":\"a\"}}"), 400, "invalid_request_error");
    assertError(call("GET", "/v1/admin/organizations/org_a/authentication_history?limit=0", null), 400,
        "invalid_request_error");
    assertError(call("POST", "/v1/admin/organizations/org_a/service_accounts",
        "{\"workspace_ids\":[\"ws_b\"]}"), 400, "invalid_request_error");
  }

  @Test
  void organizationsWorkspacesAndServiceAccounts() {
    JsonNode org = ok(call("POST", "/v1/admin/organizations", "{\"display_name\":\"Acme\",\"reason\":\"onboard\"}"));
    assertThat(org.get("type").asText()).isEqualTo("organization");
    String o = org.get("id").asText();
    assertThat(ok(call("GET", "/v1/admin/organizations", null)).get("data").findValuesAsText("id")).contains(o);
    String base = "/v1/admin/organizations/" + o;
    String ws = ok(call("POST", base + "/workspaces", "{\"display_name\":\"prod\"}")).get("id").asText();
    String ws2 = ok(call("POST", base + "/workspaces", "{}")).get("id").asText();
    assertThat(ok(call("GET", base + "/workspaces", null)).get("data")).hasSize(2);
    JsonNode sa = ok(call("POST", base + "/service_accounts", "{\"display_name\":\"ci\",\"workspace_ids\":[\"" + ws + "\"]}"));
    String saPath = base + "/service_accounts/" + sa.get("id").asText() + "/workspaces";
    JsonNode added = ok(call("POST", saPath, "{\"workspace_id\":\"" + ws2 + "\"}"));
    assertThat(added.get("workspace_ids")).hasSize(2);
    assertError(call("POST", saPath, "{\"workspace_id\":\"" + ws2 + "\"}"), 409, "invalid_request_error");
    assertThat(ok(call("GET", base + "/service_accounts", null)).get("data")).hasSize(1);
  }

  @Test
  void endToEndAdminApiThenTokenExchangeThenTunnel() throws Exception {
    String o = ok(call("POST", "/v1/admin/organizations", "{\"display_name\":\"E2E\"}")).get("id").asText();
    String base = "/v1/admin/organizations/" + o;
    String ws = ok(call("POST", base + "/workspaces", "{}")).get("id").asText();
    String sa = ok(call("POST", base + "/service_accounts", "{\"workspace_ids\":[\"" + ws + "\"]}")).get("id").asText();
    String jwks = ApiFixture.JSON.writeValueAsString(idp.publishedJwks());
    JsonNode issuer = ok(call("POST", base + "/federation_issuers", "{\"issuer_url\":\"" + idp.issuer()
        + "\",\"jwks_source\":\"inline\",\"jwks\":" + jwks + ",\"reason\":\"ci\"}"));
    assertThat(issuer.has("jwks")).isFalse();
    JsonNode rule = ok(call("POST", base + "/federation_rules", "{\"issuer_id\":\"" + issuer.get("id").asText()
        + "\",\"match\":{\"subject_prefix\":\"repo:acme/*\",\"audience\":\"" + AUD + "\"},\"service_account_id\":\""
        + sa + "\",\"workspace_id\":\"" + ws + "\",\"scope\":\"workspace:manage_tunnels\"}"));
    assertThat(ok(call("GET", base + "/federation_rules", null)).get("data")).hasSize(1);
    assertThat(ok(call("GET", base + "/federation_issuers", null)).get("data")).hasSize(1);

    String assertion = idp.token("repo:acme/app", AUD).sign(JWSAlgorithm.RS256);
    Reply token = api.form("/v1/oauth/token", OAuthTokenApiTest.form(Map.of(
        "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion,
        "federation_rule_id", rule.get("id").asText(), "organization_id", o)));
    String access = ok(token).get("access_token").asText();
    ok(api.call("POST", "/v1/tunnels", access, "{\"display_name\":\"from admin e2e\"}"));
    // a refused exchange lands in the history with its cause
    assertThat(api.form("/v1/oauth/token", OAuthTokenApiTest.form(Map.of(
        "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion",
        idp.token("repo:other/x", AUD).sign(JWSAlgorithm.RS256),
        "federation_rule_id", rule.get("id").asText(), "organization_id", o))).status()).isEqualTo(401);

    JsonNode history = ok(call("GET", base + "/authentication_history?limit=10", null)).get("data");
    assertThat(history).hasSize(2);
    assertThat(history.findValuesAsText("succeeded")).containsExactlyInAnyOrder("true", "false");

    JsonNode events = ok(call("GET", base + "/audit?limit=100", null)).get("data");
    assertThat(events.findValuesAsText("action")).contains("organization.create", "workspace.create",
        "service_account.create", "federation.issuer.create", "federation.rule.create", "tunnel.create");

    Reply export = api.send(HttpRequest.newBuilder(URI.create(api.base + base + "/audit/export"))
        .header("Authorization", "Bearer " + admin).GET().build());
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.header("content-type")).startsWith(AdminRoutes.NDJSON);
    String[] lines = export.response().body().split("\n");
    assertThat(lines).hasSize(events.size());
    for (String line : lines) {
      assertThat(ApiFixture.JSON.readTree(line).get("organization_id").asText()).isEqualTo(o);
    }
    assertThat(export.response().body()).doesNotContain(admin, access, assertion, "\"kty\"");
  }
}
