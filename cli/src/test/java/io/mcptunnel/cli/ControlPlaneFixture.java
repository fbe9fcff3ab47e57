package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.controlplane.api.ControlPlaneConfig;
import io.mcptunnel.controlplane.api.ControlPlaneServer;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import io.mcptunnel.testing.TestOidcIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real control plane on loopback driven only through its HTTP APIs, as an operator and a workload
 * would: the operator token onboards an organization (workspace, service account, a loopback OIDC
 * issuer and rule), the workload exchanges its JWT for an access token, and internal clients for
 * edges and callers are registered. {@link #restart()} stops it and starts it again on the same port.
 */
final class ControlPlaneFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ZONE = "tunnels.e2e.test";
  static final String AUDIENCE = "mcptunnel-e2e";

  /** What onboarding produced: ids (the federation rule's too) and the workload's access token. */
  record Tenant(String organization, String workspace, String accessToken, String rule) {}

  private final ControlPlaneConfig config;
  private final HttpClient http = HttpClient.newHttpClient();
  private ControlPlaneServer server;
  final URI base;
  final String adminToken;

  /** {@code databaseUrl} null: the embedded database in {@code dataDirectory}. */
  ControlPlaneFixture(Path dataDirectory, String databaseUrl) {
    this(dataDirectory, databaseUrl, 0);
  }

  private ControlPlaneFixture(Path dataDirectory, String databaseUrl, int port) {
    ControlPlaneConfig unbound = new ControlPlaneConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        dataDirectory, databaseUrl, ZONE, 10);
    server = newServer(unbound);
    InetSocketAddress bound = server.start();
    // Restarts reuse the port so edges configured with this URL find the new process.
    config = new ControlPlaneConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()),
        dataDirectory, databaseUrl, ZONE, 10);
    base = URI.create("http://127.0.0.1:" + bound.getPort());
    try {
      adminToken = Files.readString(dataDirectory.resolve("admin.token")).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ControlPlaneServer newServer(ControlPlaneConfig config) {
    // Loopback http issuers are allowed only behind this explicit switch; the test IdP is one.
    return new ControlPlaneServer(config, new IssuerUrlPolicy(true), Clock.systemUTC());
  }

  /** Stops the server (database closed) and starts a new one on the same port and data. */
  void restart() {
    server.close();
    server = newServer(config);
    server.start();
  }

  /** An organization with one workspace whose service account a workload of {@code idp} becomes. */
  Tenant onboard(TestOidcIssuer idp, String subject) throws Exception {
    String org = admin("POST", "/v1/admin/organizations", "{\"display_name\":\"e2e\"}").get("id").asText();
    String orgPath = "/v1/admin/organizations/" + org;
    String ws = admin("POST", orgPath + "/workspaces", "{}").get("id").asText();
    String sa = admin("POST", orgPath + "/service_accounts", "{\"workspace_ids\":[\"" + ws + "\"]}").get("id").asText();
    String issuer = admin("POST", orgPath + "/federation_issuers", "{\"issuer_url\":\"" + idp.issuer()
        + "\",\"jwks_source\":\"inline\",\"jwks\":" + idp.publishedJwks() + "}").get("id").asText();
    String rule = admin("POST", orgPath + "/federation_rules", "{\"issuer_id\":\"" + issuer
        + "\",\"match\":{\"subject_prefix\":\"" + subject + "\",\"audience\":\"" + AUDIENCE
        + "\"},\"service_account_id\":\"" + sa + "\",\"workspace_id\":\"" + ws
        + "\",\"scope\":\"workspace:manage_tunnels\"}").get("id").asText();
    Map<String, String> form = Map.of("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "assertion", idp.token(subject, AUDIENCE).sign(JWSAlgorithm.ES256),
        "federation_rule_id", rule, "organization_id", org);
    HttpResponse<String> exchanged = http.send(HttpRequest.newBuilder(base.resolve("/v1/oauth/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&")))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(exchanged.statusCode()).as(exchanged.body()).isEqualTo(200);
    return new Tenant(org, ws, JSON.readTree(exchanged.body()).get("access_token").asText(), rule);
  }

  /** Registers an internal client and writes its credential to {@code file}; returns the file. */
  Path internalClient(String name, String role, String organization, Path file) throws IOException {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("role", role);
    if (organization != null) {
      body.put("organization_id", organization);
    }
    JsonNode created = admin("POST", "/v1/admin/internal_clients", body.toString());
    return Files.writeString(file, created.get("credential").asText());
  }

  JsonNode admin(String method, String path, String body) {
    return ok(call(method, path, adminToken, body));
  }

  JsonNode api(String method, String path, Tenant tenant, String body) {
    return ok(call(method, path, tenant.accessToken(), body));
  }

  /** The status and body of one call; {@code bearer} may be null. */
  HttpResponse<String> call(String method, String path, String bearer, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("%s %s", response.request().uri(), response.body()).isEqualTo(200);
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
