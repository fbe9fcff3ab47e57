package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.controlplane.federation.AccessTokenGrant;
import io.mcptunnel.controlplane.federation.AccessTokenIssuer;
import io.mcptunnel.controlplane.federation.AccessTokenKeyFile;
import io.mcptunnel.controlplane.federation.InMemoryAuthenticationHistory;
import io.mcptunnel.controlplane.federation.InMemoryFederationDirectory;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.controlplane.tenancy.Organizations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A real control plane on loopback for API tests: a fresh database of the given kind, two
 * organizations (org_a with workspaces ws_1 and ws_2, org_b with ws_b), an in-memory federation
 * directory tests fill, and a plain {@link HttpClient}. Tokens are minted with the server's own
 * persisted signing key, as the token endpoint would.
 */
final class ApiFixture implements AutoCloseable {
  static final String SCOPE = "workspace:manage_tunnels";
  static final String ZONE = "tunnels.example.test";
  static final ObjectMapper JSON = new ObjectMapper();

  final Clock clock = Clock.systemUTC();
  final Path dataDirectory;
  final InMemoryFederationDirectory directory = new InMemoryFederationDirectory();
  final InMemoryAuthenticationHistory history = new InMemoryAuthenticationHistory(100);
  final ControlPlaneServer server;
  final URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  /** What a call answered: status, parsed JSON body (null when empty), and the response. */
  record Reply(int status, JsonNode body, HttpResponse<String> response) {
    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }
  }

  ApiFixture(TestDatabase kind) {
    this(kind, 10);
  }

  ApiFixture(TestDatabase kind, int maxActiveTunnels) {
    this(kind, maxActiveTunnels, false);
  }

  /**
   * {@code persistentFederation}: the 3-argument server, whose federation directory and history are
   * in its database (and which therefore serves the admin API); {@link #directory} and
   * {@link #history} are then unused.
   */
  ApiFixture(TestDatabase kind, int maxActiveTunnels, boolean persistentFederation) {
    this(kind == TestDatabase.H2 ? null : kind.freshUrl(), newDataDirectory(), maxActiveTunnels,
        persistentFederation, true);
  }

  /**
   * A server on a given database and data directory (two such fixtures on one PostgreSQL make two
   * control-plane instances sharing state, and keys); {@code seed}: create the organizations.
   */
  ApiFixture(String url, Path dataDirectory, int maxActiveTunnels, boolean persistentFederation, boolean seed) {
    this.dataDirectory = dataDirectory;
    ControlPlaneConfig config = new ControlPlaneConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), dataDirectory, url, ZONE, maxActiveTunnels);
    server = persistentFederation
        ? new ControlPlaneServer(config, new IssuerUrlPolicy(true), clock)
        : new ControlPlaneServer(config, directory, history, new IssuerUrlPolicy(true), clock);
    InetSocketAddress bound = server.start();
    base = URI.create("http://127.0.0.1:" + bound.getPort());
    if (!seed) {
      return;
    }
    Organizations orgs = new Organizations(server.database(), clock);
    orgs.createOrganization("org_a", null);
    orgs.createWorkspace("ws_1", "org_a");
    orgs.createWorkspace("ws_2", "org_a");
    orgs.createOrganization("org_b", null);
    orgs.createWorkspace("ws_b", "org_b");
  }

  static Path newDataDirectory() {
    try {
      return Files.createTempDirectory("mcptunnel-cp-api");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String token(String organization, String workspace, String scope) {
    AccessTokenIssuer issuer = new AccessTokenIssuer(AccessTokenKeyFile.loadOrCreate(dataDirectory),
        ControlPlaneConfig.TOKEN_ISSUER, clock);
    return issuer.issue(new AccessTokenGrant("sa_test", organization, workspace, scope,
        Duration.ofMinutes(10))).token();
  }

  /** A token of org_a / ws_1 with the tunnels scope. */
  String token() {
    return token("org_a", "ws_1", SCOPE);
  }

  Reply call(String method, String path, String token, String jsonBody) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "mcp-tunnels-2026-06-22")
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return send(b.build());
  }

  Reply form(String path, String formBody) {
    return send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(formBody)).build());
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
      return new Reply(r.statusCode(), body, r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    try (var paths = Files.walk(dataDirectory)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp directory is harmless
    }
  }
}
