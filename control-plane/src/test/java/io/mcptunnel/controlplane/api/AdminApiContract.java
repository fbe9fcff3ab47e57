package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
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

/**
 * The admin API over real HTTP (loopback), once per database: auth, every endpoint and every
 * validation rule, the organization and server-wide audit logs, and end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdminApiContract {
  static final String AUD = "mcptunnel-admin-test";
  ApiFixture api;
  TestOidcIssuer idp;
  String admin;

  abstract TestDatabase kind();

  @BeforeAll
  void start() throws Exception {
    api = new ApiFixture(kind(), 10, true);
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
        "{\"issuer_id\":\"fdis_x\",\"match\":{\"audience\":\"a\"}}"), 400, "invalid_request_error");
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
    JsonNode newest = ok(call("GET", base + "/authentication_history?limit=1", null)).get("data");
    assertThat(newest).hasSize(1);
    assertThat(newest.get(0).get("type").asText()).isEqualTo("authentication_attempt");
    assertThat(newest.get(0).get("succeeded").asBoolean()).as("newest first: the refusal").isFalse();
    assertThat(newest.get(0).get("rule_id").asText()).isEqualTo(rule.get("id").asText());
    assertThat(newest.get(0).get("cause").asText()).isNotBlank().isNotEqualTo("null");
    assertThat(ok(call("GET", base + "/authentication_history", null)).get("data")).as("default limit 20").hasSize(2);
    assertThat(ok(call("GET", "/v1/admin/organizations/org_b/authentication_history", null)).get("data"))
        .as("another organization's history").isEmpty();

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

  // --- helpers for the per-rule tests ---

  String newOrg() {
    return ok(call("POST", "/v1/admin/organizations", "{}")).get("id").asText();
  }

  String create(String path, String body) {
    return ok(call("POST", path, body)).get("id").asText();
  }

  static void assertInvalid(Reply r, String... messageParts) {
    assertError(r, 400, "invalid_request_error");
    if (messageParts.length > 0) {
      assertThat(r.body().at("/error/message").asText()).contains(messageParts);
    }
  }

  static String message(Reply r) {
    return r.body().at("/error/message").asText();
  }

  @Test
  void ssoRequiredDefaultsToFalseIsSetByPatchAndTheChangeIsAudited() {
    JsonNode created = ok(call("POST", "/v1/admin/organizations", "{\"display_name\":\"SSO\"}"));
    assertThat(created.get("sso_required").isBoolean()).isTrue();
    assertThat(created.get("sso_required").asBoolean()).isFalse();
    String o = created.get("id").asText();
    String path = "/v1/admin/organizations/" + o;

    JsonNode updated = ok(call("PATCH", path, "{\"sso_required\":true,\"reason\":\"SOC 2 control AC-3\"}"));
    assertThat(updated.get("id").asText()).isEqualTo(o);
    assertThat(updated.get("sso_required").asBoolean()).isTrue();
    assertThat(updated.get("display_name").asText()).as("other fields unchanged").isEqualTo("SSO");
    assertThat(ok(call("GET", path, null))).isEqualTo(updated);
    assertThat(ok(call("GET", "/v1/admin/organizations", null)).get("data")).filteredOn(n -> n.get("id").asText().equals(o))
        .singleElement().satisfies(n -> assertThat(n.get("sso_required").asBoolean()).isTrue());
    assertThat(ok(call("PATCH", path, "{\"sso_required\":false}")).get("sso_required").asBoolean()).isFalse();

    for (String value : new String[] {"\"true\"", "1", "null", "[]"}) {
      assertInvalid(call("PATCH", path, "{\"sso_required\":" + value + "}"),
          "sso_required: expected a JSON boolean (true or false)");
    }
    assertInvalid(call("PATCH", path, "{}"), "sso_required: required (expected: true or false)");
    assertInvalid(call("PATCH", path, "{\"sso_required\":true,\"display_name\":\"x\"}"), "display_name: unknown field");
    assertInvalid(call("PATCH", path, "{\"sso_required\":true,\"reason\":\"" + "r".repeat(1025) + "\"}"), "reason");
    assertError(call("PATCH", "/v1/admin/organizations/org_nope", "{\"sso_required\":true}"), 404, "not_found_error");
    assertError(call("DELETE", path, null), 405, "invalid_request_error");
    assertError(api.call("PATCH", path, api.token(), "{\"sso_required\":false}"), 401, "authentication_error");
    assertThat(ok(call("GET", path, null)).get("sso_required").asBoolean()).isFalse();

    JsonNode events = ok(call("GET", path + "/audit?limit=1000", null)).get("data");
    java.util.List<String> updates = new java.util.ArrayList<>();
    events.forEach(e -> {
      if (e.get("action").asText().equals("organization.update")) {
        updates.add(e.get("reason").asText(null) + " | " + e.get("target").asText(null) + " | " + e.get("outcome").asText());
      }
    });
    assertThat(updates).containsExactly(
        "SOC 2 control AC-3 | " + o + " | success (sso_required: true)",
        "null | " + o + " | success (sso_required: false)",
        "null | null | denied: invalid_request_error: sso_required: required (expected: true or false)",
        "r".repeat(1024) + " | null | denied: invalid_request_error: reason: 1025 characters (expected: at most 1024)"
            + " (sso_required: true)");
  }

  @Test
  void organizationsCarryTheirTunnelLimitWhichTheTunnelsApiEnforces() {
    JsonNode org = ok(call("POST", "/v1/admin/organizations", "{\"display_name\":\"Tiny\",\"max_active_tunnels\":1}"));
    assertThat(org.get("max_active_tunnels").asInt()).isEqualTo(1);
    assertThat(org.get("display_name").asText()).isEqualTo("Tiny");
    assertThat(org.get("created_at").asText()).endsWith("Z");
    String o = org.get("id").asText();
    assertThat(ok(call("GET", "/v1/admin/organizations", null)).get("data")).anySatisfy(n -> {
      assertThat(n.get("id").asText()).isEqualTo(o);
      assertThat(n.get("max_active_tunnels").asInt()).isEqualTo(1);
    });
    // absent: the server default (null in the record)
    assertThat(ok(call("POST", "/v1/admin/organizations", "{}")).get("max_active_tunnels").isNull()).isTrue();
    assertInvalid(call("POST", "/v1/admin/organizations", "{\"max_active_tunnels\":0}"), "max_active_tunnels");
    assertInvalid(call("POST", "/v1/admin/organizations", "{\"max_active_tunnels\":100001}"), "max_active_tunnels");
    assertInvalid(call("POST", "/v1/admin/organizations", "{\"max_active_tunnels\":\"many\"}"), "max_active_tunnels");
    assertInvalid(call("POST", "/v1/admin/organizations", "{\"display_name\":\" \"}"), "display_name");
    assertInvalid(call("POST", "/v1/admin/organizations", "{\"display_name\":\"" + "x".repeat(257) + "\"}"),
        "display_name");
    assertInvalid(call("POST", "/v1/admin/organizations", "{\"reason\":\"" + "r".repeat(1025) + "\"}"), "reason");
    assertInvalid(call("POST", "/v1/admin/organizations", "[1]"));

    String ws = create("/v1/admin/organizations/" + o + "/workspaces", "{}");
    String token = api.token(o, ws, ApiFixture.SCOPE);
    ok(api.call("POST", "/v1/tunnels", token, "{}"));
    Reply second = api.call("POST", "/v1/tunnels", token, "{}");
    assertError(second, 409, "invalid_request_error");
  }

  @Test
  void workspacesAreListedPerOrganizationAndValidated() {
    String o = newOrg();
    String base = "/v1/admin/organizations/" + o;
    JsonNode ws = ok(call("POST", base + "/workspaces", "{\"display_name\":\"prod\",\"reason\":\"r\"}"));
    assertThat(ws.get("type").asText()).isEqualTo("workspace");
    assertThat(ws.get("organization_id").asText()).isEqualTo(o);
    assertThat(ws.get("display_name").asText()).isEqualTo("prod");
    assertThat(ok(call("GET", base + "/workspaces", null)).get("data").findValuesAsText("id"))
        .containsExactly(ws.get("id").asText());
    // the seeded org_a sees only its own
    assertThat(ok(call("GET", "/v1/admin/organizations/org_a/workspaces", null)).get("data").findValuesAsText("id"))
        .containsExactlyInAnyOrder("ws_1", "ws_2");
    assertInvalid(call("POST", base + "/workspaces", "{\"display_name\":\"\"}"), "display_name");
    assertInvalid(call("POST", base + "/workspaces", "{\"unknown\":1}"), "unknown");
    assertError(call("POST", "/v1/admin/organizations/org_nope/workspaces", "{}"), 404, "not_found_error");
    assertError(call("PUT", base + "/workspaces", "{}"), 405, "invalid_request_error");
  }

  @Test
  void serviceAccountsJoinWorkspacesOfTheirOwnOrganizationOnly() {
    String o = newOrg();
    String base = "/v1/admin/organizations/" + o;
    String ws1 = create(base + "/workspaces", "{}");
    String ws2 = create(base + "/workspaces", "{}");
    JsonNode sa = ok(call("POST", base + "/service_accounts", "{\"display_name\":\"ci\"}"));
    assertThat(sa.get("type").asText()).isEqualTo("service_account");
    assertThat(sa.get("organization_id").asText()).isEqualTo(o);
    assertThat(sa.get("workspace_ids")).isEmpty();
    String join = base + "/service_accounts/" + sa.get("id").asText() + "/workspaces";

    JsonNode joined = ok(call("POST", join, "{\"workspace_id\":\"" + ws1 + "\",\"reason\":\"needs prod\"}"));
    assertThat(joined.get("workspace_ids").get(0).asText()).isEqualTo(ws1);
    assertThat(ok(call("POST", join, "{\"workspace_id\":\"" + ws2 + "\"}")).get("workspace_ids")).hasSize(2);
    Reply again = call("POST", join, "{\"workspace_id\":\"" + ws1 + "\"}");
    assertError(again, 409, "invalid_request_error");
    assertThat(message(again)).contains("workspace_id", "already a member");

    // a workspace in the body that is not this organization's: a request error naming the field
    assertInvalid(call("POST", join, "{\"workspace_id\":\"ws_nope\"}"), "workspace_id", "ws_nope");
    assertInvalid(call("POST", join, "{\"workspace_id\":\"ws_b\"}"), "workspace_id", "ws_b");
    assertInvalid(call("POST", join, "{}"), "workspace_id");
    // the service account in the path: unknown and another organization's look the same
    String foreign = create("/v1/admin/organizations/org_b/service_accounts", "{}");
    assertError(call("POST", base + "/service_accounts/sa_nope/workspaces", "{\"workspace_id\":\"" + ws1 + "\"}"),
        404, "not_found_error");
    assertError(call("POST", base + "/service_accounts/" + foreign + "/workspaces",
        "{\"workspace_id\":\"" + ws1 + "\"}"), 404, "not_found_error");
    assertError(call("GET", join, null), 405, "invalid_request_error");

    assertInvalid(call("POST", base + "/service_accounts", "{\"workspace_ids\":[\"ws_b\"]}"), "workspace_ids");
    assertInvalid(call("POST", base + "/service_accounts", "{\"workspace_ids\":\"" + ws1 + "\"}"), "workspace_ids");
    JsonNode both = ok(call("POST", base + "/service_accounts",
        "{\"workspace_ids\":[\"" + ws1 + "\",\"" + ws2 + "\",\"" + ws1 + "\"]}"));
    assertThat(both.get("workspace_ids")).hasSize(2);
    assertThat(ok(call("GET", base + "/service_accounts", null)).get("data")).hasSize(2);
    assertThat(ok(call("GET", "/v1/admin/organizations/org_b/service_accounts", null)).get("data")
        .findValuesAsText("id")).containsExactly(foreign);
  }

  @Test
  void issuersForEachJwksSourceAndEveryValidationError() throws Exception {
    String o = newOrg();
    String path = "/v1/admin/organizations/" + o + "/federation_issuers";
    JsonNode discovery = ok(call("POST", path, "{\"issuer_url\":\"https://token.actions.githubusercontent.com\"}"));
    assertThat(discovery.get("type").asText()).isEqualTo("federation_issuer");
    assertThat(discovery.get("jwks_source").asText()).isEqualTo("discovery");
    assertThat(discovery.has("jwks_url")).isFalse();
    assertThat(ok(call("POST", path, "{\"issuer_url\":\"https://accounts.example.com\",\"jwks_source\":\"discovery\"}"))
        .get("jwks_source").asText()).isEqualTo("discovery");
    JsonNode explicit = ok(call("POST", path, "{\"issuer_url\":\"https://idp.example.com\",\"jwks_source\":"
        + "\"explicit_url\",\"jwks_url\":\"https://idp.example.com/keys\"}"));
    assertThat(explicit.get("jwks_source").asText()).isEqualTo("explicit_url");
    assertThat(explicit.get("jwks_url").asText()).isEqualTo("https://idp.example.com/keys");
    String jwks = idp.publishedJwks(); // the JSON document itself
    JsonNode inlineObject = ok(call("POST", path, "{\"issuer_url\":\"https://a.example.com\",\"jwks_source\":\"inline\","
        + "\"jwks\":" + jwks + "}"));
    assertThat(inlineObject.get("jwks_source").asText()).isEqualTo("inline");
    assertThat(inlineObject.has("jwks")).isFalse();
    JsonNode inlineText = ok(call("POST", path, "{\"issuer_url\":\"https://b.example.com\",\"jwks_source\":\"inline\","
        + "\"jwks\":" + ApiFixture.JSON.writeValueAsString(jwks) + "}"));
    assertThat(inlineText.get("jwks_source").asText()).isEqualTo("inline");
    JsonNode listed = ok(call("GET", path, null)).get("data");
    assertThat(listed).hasSize(5);
    assertThat(listed.toString()).doesNotContain("\"kty\"");

    assertInvalid(call("POST", path, "{}"), "issuer_url", "missing");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"ftp://x\"}"), "issuer_url");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com?q=1\"}"), "issuer_url");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_source\":\"ldap\"}"),
        "jwks_source");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_url\":\"https://x.example.com/k\"}"),
        "jwks_url", "explicit_url");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks\":" + jwks + "}"),
        "jwks", "inline");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_source\":\"explicit_url\"}"),
        "jwks_url", "missing");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_source\":\"explicit_url\","
        + "\"jwks_url\":\"ftp://x.example.com/k\"}"), "jwks_url");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_source\":\"inline\"}"),
        "jwks", "missing");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_source\":\"inline\","
        + "\"jwks\":\"not json\"}"), "jwks", "not a JWKS");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_source\":\"inline\","
        + "\"jwks\":{\"keys\":[]}}"), "jwks", "no keys");
    String privateJwk = new RSAKeyGenerator(2048).keyID("k1").generate().toJSONString();
    Reply withPrivate = call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"jwks_source\":\"inline\","
        + "\"jwks\":{\"keys\":[" + privateJwk + "]}}");
    assertInvalid(withPrivate, "jwks", "private");
    assertThat(withPrivate.response().body()).doesNotContain("\"d\"", "k1");
    assertInvalid(call("POST", path, "{\"issuer_url\":\"https://x.example.com\",\"extra\":1}"), "extra");
    assertThat(ok(call("GET", path, null)).get("data")).as("no issuer stored by a refusal").hasSize(5);
    // refusals are audited, never with the JWKS
    String audit = ok(call("GET", "/v1/admin/organizations/" + o + "/audit?limit=1000", null)).toString();
    assertThat(audit).contains("denied: invalid_request_error").doesNotContain("\"kty\"", "\\\"kty\\\"");
  }

  @Test
  void rulesEnforceEveryValidationRuleAndTheirReferences() throws Exception {
    String o = newOrg();
    String base = "/v1/admin/organizations/" + o;
    String ws = create(base + "/workspaces", "{}");
    String other = create(base + "/workspaces", "{}");
    String sa = create(base + "/service_accounts", "{\"workspace_ids\":[\"" + ws + "\"]}");
    String issuer = create(base + "/federation_issuers", "{\"issuer_url\":\"https://idp.example.com\"}");
    String foreignIssuer = create("/v1/admin/organizations/org_b/federation_issuers",
        "{\"issuer_url\":\"https://idp.example.com\"}");
    String foreignSa = create("/v1/admin/organizations/org_b/service_accounts", "{\"workspace_ids\":[\"ws_b\"]}");
    String path = base + "/federation_rules";
    java.util.function.BiFunction<String, String, String> rule = (match, extra) -> "{\"issuer_id\":\"" + issuer
        + "\",\"match\":" + match + ",\"service_account_id\":\"" + sa + "\",\"workspace_id\":\"" + ws + "\""
        + (extra.contains("\"scope\"") ? "" : ",\"scope\":\"workspace:manage_tunnels\"") + extra + "}";
    String good = "{\"subject_prefix\":\"repo:acme/*\",\"audience\":\"mcptunnel\"}";

    JsonNode r = ok(call("POST", path, rule.apply(good, "")));
    assertThat(r.get("type").asText()).isEqualTo("federation_rule");
    assertThat(r.get("token_lifetime_seconds").asInt()).isEqualTo(3600);
    assertThat(r.get("scope").asText()).isEqualTo("workspace:manage_tunnels");
    assertThat(r.at("/match/subject_prefix").asText()).isEqualTo("repo:acme/*");
    // claims alone suffice; exact subjects too; the lifetime bounds are inclusive
    JsonNode claimsOnly = ok(call("POST", path, rule.apply(
        "{\"audience\":\"mcptunnel\",\"claims\":{\"environment\":\"prod\"}}", ",\"token_lifetime_seconds\":60")));
    assertThat(claimsOnly.at("/match/claims/environment").asText()).isEqualTo("prod");
    assertThat(claimsOnly.at("/match/subject_prefix").isNull()).isTrue();
    assertThat(claimsOnly.get("token_lifetime_seconds").asInt()).isEqualTo(60);
    assertThat(ok(call("POST", path, rule.apply("{\"subject_prefix\":\"repo:acme/app\",\"audience\":\"a\"}",
        ",\"token_lifetime_seconds\":86400"))).get("token_lifetime_seconds").asInt()).isEqualTo(86400);

    assertInvalid(call("POST", path, rule.apply("{\"audience\":\"mcptunnel\"}", "")), "subject_prefix", "claims");
    assertInvalid(call("POST", path, rule.apply("{\"audience\":\"mcptunnel\",\"claims\":{}}", "")),
        "subject_prefix", "claims");
    assertInvalid(call("POST", path, rule.apply("{\"subject_prefix\":\"*\",\"audience\":\"a\"}", "")),
        "match.subject_prefix");
    assertInvalid(call("POST", path, rule.apply("{\"subject_prefix\":\"repo:*/app\",\"audience\":\"a\"}", "")),
        "match.subject_prefix");
    assertInvalid(call("POST", path, rule.apply("{\"subject_prefix\":\"\",\"audience\":\"a\"}", "")),
        "match.subject_prefix");
    assertInvalid(call("POST", path, rule.apply("{\"subject_prefix\":\"repo:acme/*\"}", "")), "match.audience");
    assertInvalid(call("POST", path, rule.apply("{\"subject_prefix\":\"repo:acme/*\",\"audience\":\" \"}", "")),
        "match.audience");
    assertInvalid(call("POST", path, rule.apply("{\"audience\":\"a\",\"claims\":{\"env\":1}}", "")), "claims");
    assertInvalid(call("POST", path, rule.apply("{\"audience\":\"a\",\"claims\":\"env\"}", "")), "claims");
    assertInvalid(call("POST", path, rule.apply("{\"audience\":\"a\",\"issuer\":\"x\"}", "")), "match.issuer");
    assertInvalid(call("POST", path, rule.apply("\"repo:acme/*\"", "")), "match");
    assertInvalid(call("POST", path, rule.apply(good, ",\"token_lifetime_seconds\":59")), "token_lifetime_seconds");
    assertInvalid(call("POST", path, rule.apply(good, ",\"token_lifetime_seconds\":86401")), "token_lifetime_seconds");
    assertInvalid(call("POST", path, rule.apply(good, ",\"token_lifetime_seconds\":\"1h\"")), "token_lifetime_seconds");
    assertInvalid(call("POST", path, rule.apply(good, ",\"scope\":\"Everything!\"")), "scope");
    assertInvalid(call("POST", path, rule.apply(good, ",\"scope\":null")), "scope");
    assertInvalid(call("POST", path, rule.apply(good, ",\"bogus\":true")), "bogus");

    String ok = "{\"scope\":\"workspace:manage_tunnels\",\"match\":" + good;
    assertInvalid(call("POST", path, ok + ",\"service_account_id\":\"" + sa + "\",\"workspace_id\":\"" + ws + "\"}"),
        "issuer_id", "missing");
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"fdis_nope\",\"service_account_id\":\"" + sa
        + "\",\"workspace_id\":\"" + ws + "\"}"), "issuer_id", "fdis_nope");
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + foreignIssuer + "\",\"service_account_id\":\"" + sa
        + "\",\"workspace_id\":\"" + ws + "\"}"), "issuer_id", foreignIssuer);
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + issuer + "\",\"service_account_id\":\"sa_nope\","
        + "\"workspace_id\":\"" + ws + "\"}"), "service_account_id", "sa_nope");
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + issuer + "\",\"service_account_id\":\"" + foreignSa
        + "\",\"workspace_id\":\"" + ws + "\"}"), "service_account_id", foreignSa);
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + issuer + "\",\"service_account_id\":\"" + sa
        + "\",\"workspace_id\":\"ws_nope\"}"), "workspace_id", "ws_nope");
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + issuer + "\",\"service_account_id\":\"" + sa
        + "\",\"workspace_id\":\"ws_b\"}"), "workspace_id", "ws_b");
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + issuer + "\",\"service_account_id\":\"" + sa
        + "\",\"workspace_id\":\"" + other + "\"}"), "service_account_id", "member of workspace " + other);
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + issuer + "\",\"service_account_id\":\"" + sa + "\"}"),
        "workspace_id", "missing");
    assertInvalid(call("POST", path, ok + ",\"issuer_id\":\"" + issuer + "\",\"workspace_id\":\"" + ws + "\"}"),
        "service_account_id", "missing");

    assertThat(ok(call("GET", path, null)).get("data")).as("only the three valid rules").hasSize(3);
    assertThat(ok(call("GET", "/v1/admin/organizations/org_b/federation_rules", null)).get("data")).isEmpty();
  }

  @Test
  void authenticationHistoryAndAuditValidateTheirQueryParameters() {
    String base = "/v1/admin/organizations/" + newOrg();
    for (String q : new String[] {"limit=0", "limit=1001", "limit=ten"}) {
      assertInvalid(call("GET", base + "/authentication_history?" + q, null), "limit");
    }
    assertThat(ok(call("GET", base + "/authentication_history", null)).get("data")).isEmpty();
    assertThat(ok(call("GET", base + "/authentication_history?limit=1000", null)).get("data")).isEmpty();
    for (String q : new String[] {"limit=0", "limit=1001", "after_id=-1", "after_id=x", "limit=1.5"}) {
      assertInvalid(call("GET", base + "/audit?" + q, null));
    }
    assertError(call("POST", base + "/audit", "{}"), 405, "invalid_request_error");
    assertError(call("POST", base + "/audit/export", "{}"), 405, "invalid_request_error");
    assertError(call("GET", base + "/audit/other", null), 404, "not_found_error");
    assertError(call("GET", "/v1/admin/organizations/org_nope/audit/export", null), 404, "not_found_error");
    assertError(call("GET", "/v1/admin/organizations/org_nope/audit", null), 404, "not_found_error");
  }

  @Test
  void theAuditLogPagesByIdRecordsRefusalsAndKeepsOrganizationsApart() throws Exception {
    String o = newOrg();
    String base = "/v1/admin/organizations/" + o;
    create(base + "/workspaces", "{\"reason\":\"first\"}");
    create(base + "/workspaces", "{}");
    assertInvalid(call("POST", base + "/workspaces", "{\"display_name\":\" \",\"reason\":\"oops\"}"));

    JsonNode all = ok(call("GET", base + "/audit", null)).get("data");
    assertThat(all.findValuesAsText("action")).containsExactly("organization.create", "workspace.create",
        "workspace.create", "workspace.create");
    assertThat(all.get(0).get("type").asText()).isEqualTo("audit_event");
    assertThat(all.get(0).get("actor").asText()).isEqualTo("server-operator");
    assertThat(all.get(1).get("reason").asText()).isEqualTo("first");
    assertThat(all.get(1).get("outcome").asText()).isEqualTo("success");
    assertThat(all.get(3).get("outcome").asText()).startsWith("denied: invalid_request_error").contains("display_name");
    assertThat(all.get(3).get("reason").asText()).isEqualTo("oops");
    assertThat(all.get(3).get("target").isNull()).isTrue();

    JsonNode first = ok(call("GET", base + "/audit?limit=2", null)).get("data");
    assertThat(first).hasSize(2);
    long after = first.get(1).get("id").asLong();
    JsonNode rest = ok(call("GET", base + "/audit?after_id=" + after + "&limit=2", null)).get("data");
    assertThat(rest.findValuesAsText("id")).containsExactly(all.get(2).get("id").asText(), all.get(3).get("id").asText());
    assertThat(ok(call("GET", base + "/audit?after_id=" + all.get(3).get("id").asLong(), null)).get("data")).isEmpty();

    Reply export = api.send(HttpRequest.newBuilder(URI.create(api.base + base + "/audit/export"))
        .header("Authorization", "Bearer " + admin).GET().build());
    assertThat(export.header("content-type")).startsWith(AdminRoutes.NDJSON);
    String[] lines = export.response().body().split("\n");
    assertThat(lines).hasSize(4);
    for (int i = 0; i < lines.length; i++) {
      assertThat(ApiFixture.JSON.readTree(lines[i]).get("id").asLong()).isEqualTo(all.get(i).get("id").asLong());
    }
    // another organization sees none of it
    String orgB = ok(call("GET", "/v1/admin/organizations/org_b/audit?limit=1000", null)).toString();
    assertThat(orgB).doesNotContain(o);
  }

  @Test
  void serverScopeAuditHoldsEdgeInternalClientsAndPagesLikeAnOrganizations() throws Exception {
    long start = lastServerAuditId();
    Reply edge = call("POST", "/v1/admin/internal_clients", "{\"name\":\"edge-audit\",\"role\":\"edge\","
        + "\"reason\":\"new node\"}");
    String id = ok(edge).get("id").asText();
    String credential = edge.body().get("credential").asText();
    ok(call("POST", "/v1/admin/internal_clients/" + id + "/revoke", "{\"reason\":\"retired\"}"));
    assertError(call("POST", "/v1/admin/internal_clients", "{\"name\":\"edge bad\",\"role\":\"edge\"}"), 400,
        "invalid_request_error");
    // a caller's events go to its organization, not to the server scope
    String caller = ok(call("POST", "/v1/admin/internal_clients", "{\"name\":\"backend-audit\",\"role\":\"caller\","
        + "\"organization_id\":\"org_a\"}")).get("id").asText();

    JsonNode events = ok(call("GET", "/v1/admin/audit?after_id=" + start, null)).get("data");
    assertThat(events.findValuesAsText("action")).containsExactly("internal_client.create", "internal_client.revoke",
        "internal_client.create");
    assertThat(events.findValuesAsText("organization_id")).containsOnly("server");
    assertThat(events.get(0).get("target").asText()).isEqualTo(id);
    assertThat(events.get(0).get("reason").asText()).isEqualTo("new node");
    assertThat(events.get(1).get("reason").asText()).isEqualTo("retired");
    assertThat(events.get(2).get("outcome").asText()).startsWith("denied: invalid_request_error");
    assertThat(events.toString()).doesNotContain(caller);
    assertThat(ok(call("GET", "/v1/admin/organizations/org_a/audit?limit=1000", null)).toString()).contains(caller)
        .doesNotContain(id);

    JsonNode page = ok(call("GET", "/v1/admin/audit?after_id=" + start + "&limit=1", null)).get("data");
    assertThat(page.findValuesAsText("id")).containsExactly(events.get(0).get("id").asText());
    JsonNode next = ok(call("GET", "/v1/admin/audit?after_id=" + page.get(0).get("id").asLong() + "&limit=2", null))
        .get("data");
    assertThat(next.findValuesAsText("id")).containsExactly(events.get(1).get("id").asText(),
        events.get(2).get("id").asText());

    Reply export = api.send(HttpRequest.newBuilder(URI.create(api.base + "/v1/admin/audit/export"))
        .header("Authorization", "Bearer " + admin).GET().build());
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.header("content-type")).startsWith(AdminRoutes.NDJSON);
    String body = export.response().body();
    String[] lines = body.split("\n");
    assertThat(lines.length).isGreaterThanOrEqualTo(3);
    for (String line : lines) {
      assertThat(ApiFixture.JSON.readTree(line).get("organization_id").asText()).isEqualTo("server");
    }
    assertThat(body).contains(id).doesNotContain(credential.substring(credential.lastIndexOf('.') + 1), admin);

    for (String q : new String[] {"limit=0", "limit=1001", "after_id=-1", "after_id=x"}) {
      assertInvalid(call("GET", "/v1/admin/audit?" + q, null));
    }
    assertError(api.call("GET", "/v1/admin/audit", null, null), 401, "authentication_error");
    assertError(api.call("GET", "/v1/admin/audit/export", api.token(), null), 401, "authentication_error");
    assertError(call("POST", "/v1/admin/audit", "{}"), 405, "invalid_request_error");
    assertError(call("POST", "/v1/admin/audit/export", null), 405, "invalid_request_error");
    assertError(call("GET", "/v1/admin/audit/import", null), 404, "not_found_error");
    assertError(call("GET", "/v1/admin/audit/export/x", null), 404, "not_found_error");
    // "server" is a scope, not an organization one could address
    assertError(call("GET", "/v1/admin/organizations/server/audit", null), 404, "not_found_error");
  }

  long lastServerAuditId() {
    JsonNode data = ok(call("GET", "/v1/admin/audit?limit=1000", null)).get("data");
    return data.isEmpty() ? 0 : data.get(data.size() - 1).get("id").asLong();
  }
}
