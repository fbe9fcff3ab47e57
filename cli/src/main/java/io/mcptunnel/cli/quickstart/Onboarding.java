package io.mcptunnel.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The operator's side of the quickstart, through the control plane's admin API (docs/api.md) with
 * its operator token: an organization with one workspace and service account, the local issuer
 * (inline JWKS) and a federation rule for its identity token, and the internal clients the edge
 * ({@code edge}) and the caller gateway ({@code caller}) read tunnel state with. The ids go to a
 * small state file and the two credentials to owner-only files, so a re-run with the same folder
 * onboards nothing again.
 */
public final class Onboarding {
  static final ObjectMapper JSON = new ObjectMapper();
  public static final String STATE_FILE = "quickstart-state.json";

  /** What onboarding created; ids only, never a credential. */
  public record State(String organization, String workspace, String serviceAccount, String issuer,
      String rule, String edgeClient, String callerClient) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI base;
  private final String adminToken;

  public Onboarding(URI base, String adminToken) {
    this.base = base;
    this.adminToken = adminToken;
  }

  /** The stored state, or null when this folder was never onboarded. */
  public static State read(Path dir) {
    Path file = dir.resolve(STATE_FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JSON.readValue(file.toFile(), State.class);
    } catch (IOException e) {
      throw new McptunnelException(file + ": " + e.getMessage() + " (remove the folder to start over)", e);
    }
  }

  /** Onboards everything and writes the state file last, so a crash half-way leaves none. */
  public State onboard(LocalIssuer issuer, Path dir, Path edgeCredential, Path callerCredential) throws IOException {
    String org = post("/v1/admin/organizations", obj().put("display_name", "quickstart")
        .put("reason", "mcptunnel quickstart")).get("id").asText();
    String orgPath = "/v1/admin/organizations/" + org;
    String ws = post(orgPath + "/workspaces", obj().put("display_name", "quickstart")).get("id").asText();
    ObjectNode sa = obj().put("display_name", "quickstart-setup");
    sa.putArray("workspace_ids").add(ws);
    String serviceAccount = post(orgPath + "/service_accounts", sa).get("id").asText();
    String issuerId = post(orgPath + "/federation_issuers", obj().put("issuer_url", LocalIssuer.ISSUER)
        .put("jwks_source", "inline").put("jwks", issuer.publicJwks())).get("id").asText();
    ObjectNode rule = obj().put("issuer_id", issuerId).put("service_account_id", serviceAccount)
        .put("workspace_id", ws).put("scope", "workspace:manage_tunnels").put("token_lifetime_seconds", 600);
    rule.putObject("match").put("subject_prefix", LocalIssuer.SUBJECT).put("audience", LocalIssuer.AUDIENCE);
    String ruleId = post(orgPath + "/federation_rules", rule).get("id").asText();
    String edge = internalClient(obj().put("name", "quickstart-edge").put("role", "edge"), edgeCredential);
    String caller = internalClient(obj().put("name", "quickstart-caller").put("role", "caller")
        .put("organization_id", org), callerCredential);
    State state = new State(org, ws, serviceAccount, issuerId, ruleId, edge, caller);
    SecureFiles.write(dir.resolve(STATE_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n",
        SecureFiles.PUBLIC);
    return state;
  }

  private String internalClient(ObjectNode body, Path credentialFile) throws IOException {
    JsonNode created = post("/v1/admin/internal_clients", body.put("reason", "mcptunnel quickstart"));
    SecureFiles.write(credentialFile, created.get("credential").asText(), SecureFiles.SECRET);
    return created.get("id").asText();
  }

  private static ObjectNode obj() {
    return JSON.createObjectNode();
  }

  private JsonNode post(String path, ObjectNode body) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + adminToken)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new McptunnelException("interrupted while calling the admin API", e);
    }
    if (response.statusCode() != 200) {
      // The error envelope's message only: it never holds the token or a credential.
      String message = response.body();
      try {
        message = JSON.readTree(response.body()).path("error").path("message").asText(message);
      } catch (IOException notJson) {
        // keep the raw body
      }
      throw new McptunnelException("admin API POST " + path + " answered " + response.statusCode() + ": " + message);
    }
    return JSON.readTree(response.body());
  }
}
