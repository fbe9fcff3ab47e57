package io.mcptunnel.controlplane.api;

import static io.mcptunnel.controlplane.api.TunnelsApiTest.assertError;
import static io.mcptunnel.controlplane.api.TunnelsApiTest.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.controlplane.api.ApiFixture.Reply;
import io.mcptunnel.controlplane.federation.FederationIssuer;
import io.mcptunnel.controlplane.federation.FederationRule;
import io.mcptunnel.controlplane.federation.JwksSource;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.testing.TestOidcIssuer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /v1/oauth/token} end to end: a workload JWT from a real issuer → access token → tunnel. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OAuthTokenApiTest {
  static final String AUD = "https://mcptunnel.example";
  static final String SUB = "repo:acme/app:ref:refs/heads/main";

  ApiFixture api;
  TestOidcIssuer idp;

  @BeforeAll
  void start() {
    api = new ApiFixture(TestDatabase.H2);
    idp = TestOidcIssuer.start(api.clock);
    api.directory
        .put(new FederationIssuer("iss_ci", "org_a", URI.create(idp.issuer()), JwksSource.discovery()))
        .put(new FederationRule("fdrl_deploy", "org_a", "iss_ci", new FederationRule.Match("repo:acme/app:*", AUD, Map.of()),
            "sa_deployer", "ws_1", ApiFixture.SCOPE, 3600))
        .put(new FederationRule("fdrl_readonly", "org_a", "iss_ci", new FederationRule.Match("repo:acme/app:*", AUD, Map.of()),
            "sa_reader", "ws_1", "workspace:read", 3600));
  }

  @AfterAll
  void stop() {
    idp.close();
    api.close();
  }

  static String form(Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }

  String exchangeForm(String rule, String assertion) {
    return form(Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion", assertion,
        "federation_rule_id", rule, "organization_id", "org_a"));
  }

  @Test
  void aWorkloadJwtBuysAnAccessTokenThatCreatesATunnel() {
    Reply r = api.form("/v1/oauth/token", exchangeForm("fdrl_deploy", idp.token(SUB, AUD).sign(JWSAlgorithm.RS256)));
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    assertThat(fields(r.body())).containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "scope");
    assertThat(r.body().get("token_type").asText()).isEqualTo("Bearer");
    assertThat(r.body().get("scope").asText()).isEqualTo(ApiFixture.SCOPE);
    // min(rule 3600 s, 2 × the JWT's remaining 10 min)
    assertThat(r.body().get("expires_in").asLong()).isBetween(1100L, 1200L);
    assertThat(r.header("cache-control")).isEqualTo("no-store");

    String access = r.body().get("access_token").asText();
    Reply created = api.call("POST", "/v1/tunnels", access, "{\"display_name\":\"from CI\"}");
    assertThat(created.status()).as("%s", created.body()).isEqualTo(200);
    assertThat(created.body().get("display_name").asText()).isEqualTo("from CI");
  }

  @Test
  void jsonBodiesWorkToo() {
    String body = ApiFixture.JSON.createObjectNode()
        .put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
        .put("assertion", idp.token(SUB, AUD).sign(JWSAlgorithm.ES256))
        .put("federation_rule_id", "fdrl_deploy").put("organization_id", "org_a").put("workspace_id", "ws_1")
        .toString();
    Reply r = api.call("POST", "/v1/oauth/token", null, body);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
  }

  @Test
  void everyRefusedCredentialGetsTheSameAnswer() {
    String[] assertions = {
        idp.token("repo:other/app", AUD).sign(JWSAlgorithm.RS256),
        idp.token(SUB, "https://elsewhere").sign(JWSAlgorithm.RS256),
        idp.token(SUB, AUD).signWithUnpublishedKey(JWSAlgorithm.RS256),
        idp.token(SUB, AUD).unsigned(),
        "garbage"};
    for (String assertion : assertions) {
      Reply r = api.form("/v1/oauth/token", exchangeForm("fdrl_deploy", assertion));
      assertError(r, 401, "authentication_error");
      assertThat(r.body().get("error").get("message").asText()).isEqualTo("Authentication failed");
      assertThat(r.header("cache-control")).isEqualTo("no-store");
    }
    assertError(api.form("/v1/oauth/token", exchangeForm("fdrl_unknown1",
        idp.token(SUB, AUD).sign(JWSAlgorithm.RS256))), 401, "authentication_error");
    assertThat(api.history.recent("org_a", 100)).hasSizeGreaterThanOrEqualTo(assertions.length);
  }

  @Test
  void malformedRequestsAre400() {
    assertError(api.form("/v1/oauth/token", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"),
        400, "invalid_request_error");
    assertError(api.form("/v1/oauth/token", exchangeForm("fdrl_deploy", "a") + "&assertion=b"),
        400, "invalid_request_error");
    assertError(api.form("/v1/oauth/token", form(Map.of("grant_type", "password", "assertion", "x",
        "federation_rule_id", "fdrl_deploy", "organization_id", "org_a"))), 400, "invalid_request_error");
    assertError(api.call("POST", "/v1/oauth/token", null, "{\"assertion\":"), 400, "invalid_request_error");
  }

  @Test
  void aTokenWithoutTheTunnelsScopeIsForbidden() {
    Reply r = api.form("/v1/oauth/token", exchangeForm("fdrl_readonly", idp.token(SUB, AUD).sign(JWSAlgorithm.RS256)));
    assertThat(r.status()).isEqualTo(200);
    assertError(api.call("GET", "/v1/tunnels", r.body().get("access_token").asText(), null), 403, "permission_error");
  }
}
