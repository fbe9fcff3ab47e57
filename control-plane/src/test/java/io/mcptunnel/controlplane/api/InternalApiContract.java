package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.controlplane.api.ApiFixture.Reply;
import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.internal.InternalClientService;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.testing.LogCapture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The internal API over real HTTP (loopback), once per database: internal clients through the
 * admin API, credential refusals, the edge feed and its long-poll, and the caller's CA lookup.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InternalApiContract {
  static final String STATE = "/internal/v1/edge/tunnel_state";
  static final String CAS = "/internal/v1/caller/tunnel_cas";
  static final Set<String> CLIENT_FIELDS =
      Set.of("id", "type", "name", "role", "organization_id", "created_at", "revoked_at");
  static final Set<String> STATE_FIELDS = Set.of("id", "domain", "organization_id", "workspace_id",
      "current_token", "retired_token_ids", "severed_token_ids", "ca_certificates_pem", "archived");

  ApiFixture api;
  String admin;
  String edge;
  String caller;
  final List<String> credentials = new ArrayList<>();
  LogCapture logs;

  abstract TestDatabase kind();

  @BeforeAll
  void start() throws Exception {
    logs = new LogCapture();
    api = new ApiFixture(kind(), 1000, true);
    admin = Files.readString(api.dataDirectory.resolve(AdminTokenFile.FILE_NAME)).trim();
    edge = createClient("{\"name\":\"edge-1\",\"role\":\"edge\"}").get("credential").asText();
    caller = createClient("{\"name\":\"backend\",\"role\":\"caller\",\"organization_id\":\"org_a\"}")
        .get("credential").asText();
    // The clock past 0: after=0 always means "send me everything", never a wait.
    tunnel();
  }

  @AfterAll
  void stop() {
    api.close();
    // No credential anywhere in the log of the whole class, refusals and stack traces included.
    List<String> lines = logs.lines();
    logs.close();
    for (String credential : credentials) {
      String secret = credential.substring(credential.lastIndexOf('.') + 1);
      assertThat(lines).noneMatch(l -> l.contains(secret));
    }
  }

  JsonNode createClient(String body) {
    Reply r = api.call("POST", "/v1/admin/internal_clients", admin, body);
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    credentials.add(r.body().get("credential").asText());
    return r.body();
  }

  static JsonNode ok(Reply r) {
    assertThat(r.status()).as("%s", r.body()).isEqualTo(200);
    return r.body();
  }

  static void assertError(Reply r, int status, String type, String message) {
    assertThat(r.status()).as("%s", r.body()).isEqualTo(status);
    assertThat(r.body().at("/error/type").asText()).isEqualTo(type);
    assertThat(r.body().at("/error/message").asText()).contains(message);
    assertThat(r.header("cache-control")).isEqualTo("no-store");
  }

  /** A tunnel of org_a / ws_1 through the Tunnels API. */
  JsonNode tunnel() {
    return ok(api.call("POST", "/v1/tunnels", api.token(), "{}"));
  }

  @Test
  void adminCreatesListsAndRevokesInternalClientsAndTheAuditHoldsNoCredential() {
    JsonNode created = createClient("{\"name\":\"edge.eu-1\",\"role\":\"edge\",\"reason\":\"new edge\"}");
    Set<String> withCredential = new java.util.HashSet<>(CLIENT_FIELDS);
    withCredential.add("credential");
    assertThat(TunnelsApiTest.fields(created)).isEqualTo(withCredential);
    String id = created.get("id").asText();
    assertThat(id).matches("icl_[0-9A-Za-z]{24}");
    assertThat(created.get("type").asText()).isEqualTo("internal_client");
    assertThat(created.get("organization_id").isNull()).isTrue();
    assertThat(created.get("revoked_at").isNull()).isTrue();
    String credential = created.get("credential").asText();
    assertThat(credential).matches("mcpti1\\." + id + "\\.[A-Za-z0-9_-]{43}");

    JsonNode list = ok(api.call("GET", "/v1/admin/internal_clients", admin, null));
    assertThat(list.get("next_page").isNull()).isTrue();
    JsonNode listed = null;
    for (JsonNode c : list.get("data")) {
      assertThat(TunnelsApiTest.fields(c)).isEqualTo(CLIENT_FIELDS);
      if (c.get("id").asText().equals(id)) {
        listed = c;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(list.toString()).doesNotContain(credential.substring(credential.lastIndexOf('.') + 1));

    ok(api.call("GET", STATE, credential, null));
    JsonNode revoked = ok(api.call("POST", "/v1/admin/internal_clients/" + id + "/revoke", admin,
        "{\"reason\":\"decommissioned\"}"));
    assertThat(revoked.get("revoked_at").isNull()).isFalse();
    assertThat(ok(api.call("POST", "/v1/admin/internal_clients/" + id + "/revoke", admin, null)))
        .as("idempotent").isEqualTo(revoked);
    assertError(api.call("GET", STATE, credential, null), 401, "authentication_error", "invalid internal credential");

    List<AuditEvent> events = new AuditLog(api.server.database()).query(InternalClientService.SERVER_AUDIT_SCOPE, 0,
        1000);
    assertThat(events).anyMatch(e -> e.action().equals("internal_client.create") && id.equals(e.target())
        && "new edge".equals(e.reason()));
    assertThat(events).anyMatch(e -> e.action().equals("internal_client.revoke") && id.equals(e.target())
        && "decommissioned".equals(e.reason()));
    assertThat(new AuditLog(api.server.database()).query("org_a", 0, 1000))
        .anyMatch(e -> e.action().equals("internal_client.create"));
    for (String c : credentials) {
      String secret = c.substring(c.lastIndexOf('.') + 1);
      assertThat(events).noneMatch(e -> e.toString().contains(secret));
    }
  }

  @Test
  void badInternalClientInputIs400UnknownOrganization404AndTheOperatorTokenIsRequired() {
    String path = "/v1/admin/internal_clients";
    assertError(api.call("POST", path, admin, "{\"name\":\"x\",\"role\":\"proxy\"}"), 400, "invalid_request_error",
        "role");
    assertError(api.call("POST", path, admin, "{\"name\":\"x\",\"role\":\"caller\"}"), 400, "invalid_request_error",
        "organization_id");
    assertError(api.call("POST", path, admin, "{\"name\":\"x\",\"role\":\"edge\",\"organization_id\":\"org_a\"}"),
        400, "invalid_request_error", "organization_id");
    assertError(api.call("POST", path, admin, "{\"name\":\"no spaces\",\"role\":\"edge\"}"), 400,
        "invalid_request_error", "name");
    assertError(api.call("POST", path, admin, "{\"name\":\"x\",\"role\":\"caller\",\"organization_id\":\"org_nope\"}"),
        404, "not_found_error", "org_nope");
    assertError(api.call("POST", path + "/icl_nope/revoke", admin, null), 404, "not_found_error", "icl_nope");
    assertThat(api.call("POST", path, null, "{\"name\":\"x\",\"role\":\"edge\"}").status()).isEqualTo(401);
    assertThat(api.call("GET", path, edge, null).status()).as("an internal credential is no admin token")
        .isEqualTo(401);
  }

  @Test
  void everyBadCredentialGetsTheSame401AndTheWrongRoleA403() {
    String id = edge.split("\\.")[1];
    String otherSecret = caller.substring(caller.lastIndexOf('.') + 1);
    for (String bad : new String[] {null, "", "garbage", edge + "x", "mcpti1." + id + ".short",
        "mcpti1.icl_AAAAAAAAAAAAAAAAAAAAAAAA." + otherSecret, "mcpti1." + id + "." + otherSecret}) {
      for (String path : new String[] {STATE, CAS + "?host=x.example"}) {
        Reply r = api.call("GET", path, bad, null);
        assertError(r, 401, "authentication_error", "invalid internal credential");
        assertThat(r.body().at("/error/message").asText()).isEqualTo("invalid internal credential");
        if (bad != null && !bad.isEmpty()) {
          assertThat(r.response().body()).doesNotContain(bad);
        }
      }
    }
    assertError(api.call("GET", CAS + "?host=x.example", edge, null), 403, "permission_error",
        "this endpoint needs an internal client with role caller");
    assertError(api.call("GET", STATE, caller, null), 403, "permission_error",
        "this endpoint needs an internal client with role edge");
    assertError(api.call("POST", STATE, edge, null), 405, "invalid_request_error", "GET");
    assertError(api.call("GET", "/internal/v1/edge/nothing", edge, null), 404, "not_found_error", "no such path");
  }

  @Test
  void theFeedStartsWithAResetThenDeltasAndRefusesBadParameters() {
    JsonNode t = tunnel();
    String id = t.get("id").asText();
    Reply first = api.call("GET", STATE, edge, null);
    JsonNode reset = ok(first);
    assertThat(first.header("cache-control")).isEqualTo("no-store");
    assertThat(reset.get("type").asText()).isEqualTo("tunnel_state");
    assertThat(reset.get("reset").asBoolean()).isTrue();
    long version = reset.get("version").asLong();
    JsonNode mine = null;
    for (JsonNode s : reset.get("tunnels")) {
      if (s.get("id").asText().equals(id)) {
        mine = s;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(TunnelsApiTest.fields(mine)).isEqualTo(STATE_FIELDS);
    assertThat(mine.get("domain").asText()).isEqualTo(t.get("domain").asText());
    assertThat(mine.get("organization_id").asText()).isEqualTo("org_a");
    assertThat(mine.get("workspace_id").asText()).isEqualTo("ws_1");
    assertThat(mine.at("/current_token/secret_sha256").asText()).matches("[0-9a-f]{64}");
    assertThat(mine.get("archived").asBoolean()).isFalse();

    JsonNode none = ok(api.call("GET", STATE + "?after=" + version, edge, null));
    assertThat(none.get("reset").asBoolean()).isFalse();
    assertThat(none.get("version").asLong()).isEqualTo(version);
    assertThat(none.get("tunnels")).isEmpty();

    ok(api.call("POST", "/v1/tunnels/" + id + "/archive", api.token(), null));
    JsonNode delta = ok(api.call("GET", STATE + "?after=" + version + "&wait=0", edge, null));
    assertThat(delta.get("version").asLong()).isGreaterThan(version);
    assertThat(delta.get("tunnels")).hasSize(1);
    JsonNode archived = delta.get("tunnels").get(0);
    assertThat(archived.get("archived").asBoolean()).isTrue();
    assertThat(archived.get("current_token").isNull()).isTrue();
    assertThat(archived.get("ca_certificates_pem")).isEmpty();
    assertThat(ok(api.call("GET", STATE + "?after=" + (delta.get("version").asLong() + 5), edge, null))
        .get("reset").asBoolean()).as("ahead of the server: a reset").isTrue();

    for (String q : new String[] {"after=-1", "after=x", "after=1.5", "wait=31", "wait=-1", "wait=abc",
        "after=99999999999999999999"}) {
      assertError(api.call("GET", STATE + "?" + q, edge, null), 400, "invalid_request_error", q.split("=")[0]);
    }
  }

  /** The feed's record of tunnel {@code id} among the changes after {@code version}. */
  JsonNode changedSince(long version, String id) {
    JsonNode delta = ok(api.call("GET", STATE + "?after=" + version + "&wait=0", edge, null));
    for (JsonNode s : delta.get("tunnels")) {
      if (s.get("id").asText().equals(id)) {
        return s;
      }
    }
    throw new AssertionError("tunnel " + id + " not in the delta after " + version + ": " + delta);
  }

  /** A Tunnels API error (no Cache-Control there): status, type, and the message. */
  static void publicError(Reply r, int status, String type, String message) {
    TunnelsApiTest.assertError(r, status, type);
    assertThat(r.body().at("/error/message").asText()).contains(message);
  }

  long feedVersion() {
    return ok(api.call("GET", STATE, edge, null)).get("version").asLong();
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void aSeveringRotationIsAuditedAndItsOlderTokensReachTheFeedAsSevered() {
    String id = tunnel().get("id").asText();
    String path = "/v1/tunnels/" + id + "/rotate_token";
    String first = ok(api.call("POST", "/v1/tunnels/" + id + "/reveal_token", api.token(), null)).get("id").asText();
    String second = ok(api.call("POST", path, api.token(), "{\"reason\":\"routine\"}")).get("id").asText();

    long before = feedVersion();
    JsonNode rotated = ok(api.call("POST", path, api.token(),
        "{\"reason\":\"token in a public gist\",\"sever_existing\":true}"));
    assertThat(TunnelsApiTest.fields(rotated)).isEqualTo(TunnelsApiTest.TOKEN_FIELDS);
    String third = rotated.get("id").asText();
    JsonNode state = changedSince(before, id);
    assertThat(state.at("/current_token/id").asText()).isEqualTo(third);
    assertThat(texts(state.get("retired_token_ids"))).containsExactly(first, second);
    assertThat(texts(state.get("severed_token_ids"))).as("every older token, also one a plain rotation retired")
        .containsExactlyInAnyOrder(first, second);

    // A plain rotation afterwards severs nothing new: the connections of `third` stay up.
    long beforePlain = feedVersion();
    ok(api.call("POST", path, api.token(), "{\"sever_existing\":false}"));
    JsonNode plain = changedSince(beforePlain, id);
    assertThat(texts(plain.get("retired_token_ids"))).containsExactly(first, second, third);
    assertThat(texts(plain.get("severed_token_ids"))).containsExactlyInAnyOrder(first, second);

    List<AuditEvent> rotations = new AuditLog(api.server.database()).query("org_a", 0, 10_000).stream()
        .filter(e -> e.action().equals("tunnel.token.rotate") && id.equals(e.target())).toList();
    assertThat(rotations).extracting(AuditEvent::reason, AuditEvent::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple("routine", "success"),
        org.assertj.core.groups.Tuple.tuple("token in a public gist", "success (sever_existing: true)"),
        org.assertj.core.groups.Tuple.tuple(null, "success"));
    String token = rotated.get("tunnel_token").asText();
    assertThat(rotations).noneMatch(e -> e.toString().contains(token.substring(token.lastIndexOf('.') + 1)));
  }

  @Test
  void severExistingMustBeAJsonBooleanAndARefusedSeveringRotationIsAuditedAsSuch() {
    String id = tunnel().get("id").asText();
    String path = "/v1/tunnels/" + id + "/rotate_token";
    for (String value : new String[] {"\"true\"", "1", "null", "{}", "[true]"}) {
      publicError(api.call("POST", path, api.token(), "{\"sever_existing\":" + value + "}"), 400,
          "invalid_request_error", "sever_existing: expected a JSON boolean (true or false)");
    }
    publicError(api.call("POST", path, api.token(), "{\"sever\":true}"), 400, "invalid_request_error",
        "sever: unknown field");

    ok(api.call("POST", "/v1/tunnels/" + id + "/archive", api.token(), null));
    publicError(api.call("POST", path, api.token(), "{\"sever_existing\":true,\"reason\":\"breach\"}"), 409,
        "invalid_request_error", "is archived");
    assertThat(new AuditLog(api.server.database()).query("org_a", 0, 10_000))
        .filteredOn(e -> e.action().equals("tunnel.token.rotate") && id.equals(e.target()))
        .singleElement().satisfies(e -> {
          assertThat(e.reason()).isEqualTo("breach");
          assertThat(e.outcome()).isEqualTo("denied: invalid_request_error: tunnel " + id
              + " is archived (sever_existing: true)");
        });
  }

  @Test
  void aLongPollWithoutChangeAnswersAfterTheWaitWithAnEmptyList() {
    long version = ok(api.call("GET", STATE, edge, null)).get("version").asLong();
    long start = System.nanoTime();
    JsonNode r = ok(api.call("GET", STATE + "?after=" + version + "&wait=1", edge, null));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(millis).isBetween(950L, 3000L);
    assertThat(r.get("version").asLong()).isEqualTo(version);
    assertThat(r.get("reset").asBoolean()).isFalse();
    assertThat(r.get("tunnels")).isEmpty();
  }

  @Test
  void aLongPollAnswersPromptlyAfterALocalChange() throws Exception {
    long version = ok(api.call("GET", STATE, edge, null)).get("version").asLong();
    CompletableFuture<HttpResponse<String>> poll = longPoll(api, edge, version, 20);
    JsonNode t = tunnel();
    long changed = System.nanoTime();
    HttpResponse<String> r = poll.get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed)).isLessThan(500);
    JsonNode body = ApiFixture.JSON.readTree(r.body());
    assertThat(body.get("version").asLong()).isGreaterThan(version);
    assertThat(body.get("tunnels").findValuesAsText("id")).contains(t.get("id").asText());
  }

  static CompletableFuture<HttpResponse<String>> longPoll(ApiFixture api, String credential, long after, int wait) {
    return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(api.base.resolve(STATE + "?after=" + after
        + "&wait=" + wait)).header("Authorization", "Bearer " + credential).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aCallerFindsTheCasOfItsOrganizationsTunnelByAnyHostUnderTheDomain() {
    JsonNode t = tunnel();
    String id = t.get("id").asText();
    String domain = t.get("domain").asText();
    JsonNode empty = ok(api.call("GET", CAS + "?host=" + domain, caller, null));
    assertThat(empty.get("type").asText()).isEqualTo("tunnel_cas");
    assertThat(empty.get("tunnel_id").asText()).isEqualTo(id);
    assertThat(empty.get("domain").asText()).isEqualTo(domain);
    assertThat(empty.get("ca_certificates_pem")).as("no CA yet").isEmpty();

    String pem = TunnelsApiTest.caPem();
    ok(api.call("POST", "/v1/tunnels/" + id + "/certificates", api.token(),
        "{\"ca_certificate_pem\":" + TunnelsApiTest.quoted(pem) + "}"));
    for (String host : new String[] {domain, "route." + domain, "a.b." + domain, ("Route." + domain).toUpperCase() + "."}) {
      Reply r = api.call("GET", CAS + "?host=" + host, caller, null);
      assertThat(ok(r).get("tunnel_id").asText()).as(host).isEqualTo(id);
      assertThat(r.body().get("ca_certificates_pem").get(0).asText()).isEqualTo(pem);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
    }

    String other = createClient("{\"name\":\"b\",\"role\":\"caller\",\"organization_id\":\"org_b\"}")
        .get("credential").asText();
    assertError(api.call("GET", CAS + "?host=route." + domain, other, null), 404, "not_found_error",
        "no active tunnel for host route." + domain);
    assertError(api.call("GET", CAS + "?host=x" + domain, caller, null), 404, "not_found_error", "no active tunnel");
    assertError(api.call("GET", CAS + "?host=tunnels.example.test", caller, null), 404, "not_found_error",
        "no active tunnel");
    assertError(api.call("GET", CAS, caller, null), 400, "invalid_request_error", "host");
    assertError(api.call("GET", CAS + "?host=a..b", caller, null), 400, "invalid_request_error", "host");
    assertError(api.call("GET", CAS + "?host=", caller, null), 400, "invalid_request_error", "host");

    ok(api.call("POST", "/v1/tunnels/" + id + "/archive", api.token(), null));
    assertError(api.call("GET", CAS + "?host=route." + domain, caller, null), 404, "not_found_error",
        "no active tunnel");
  }
}
