package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.controlplane.api.ControlPlaneConfig;
import io.mcptunnel.controlplane.federation.AccessTokenGrant;
import io.mcptunnel.controlplane.federation.AccessTokenIssuer;
import io.mcptunnel.controlplane.federation.AccessTokenKeyFile;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.tenancy.Organizations;
import io.mcptunnel.testing.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcptunnel control-plane run} as a child process on PostgreSQL: it listens, a tunnel is
 * created over HTTP with an access token signed by the key it persisted, and SIGTERM stops it
 * with exit 0. The organization is inserted directly because the admin API does not exist yet.
 */
class ControlPlaneRunCommandIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PASSWORD = "pw-never-logged-7f3a";

  @TempDir Path dir;
  ChildProcess child;

  @AfterEach
  void stop() {
    if (child != null) {
      child.close();
    }
  }

  @Test
  void runsCreatesATunnelOverHttpAndStopsOnSigterm() throws Exception {
    String url = PostgresServer.shared().createDatabase("cli_cp_" + System.nanoTime());
    int port = ProxyFiles.freePort();
    Path data = dir.resolve("data");
    Path config = Files.writeString(dir.resolve("control-plane.yaml"), """
        listen: "127.0.0.1:%d"
        data_dir: %s
        database_url: "%s"
        database_password_env: CP_DB_PASSWORD
        tunnel_zone: tunnels.example.test
        max_active_tunnels_per_org: 2
        log_format: json
        """.formatted(port, data, url));

    child = ChildProcess.mcptunnel(dir, Map.of("CP_DB_PASSWORD", PASSWORD),
        List.of("control-plane", "run", "--config", config.toString()));
    child.awaitLine(l -> l.contains("control plane listening"), 60);

    try (Database db = Database.open(url)) {
      Organizations orgs = new Organizations(db, Clock.systemUTC());
      orgs.createOrganization("org_cli", null);
      orgs.createWorkspace("ws_cli", "org_cli");
    }
    String token = new AccessTokenIssuer(AccessTokenKeyFile.loadOrCreate(data), ControlPlaneConfig.TOKEN_ISSUER,
        Clock.systemUTC()).issue(new AccessTokenGrant("sa_cli", "org_cli", "ws_cli", "workspace:manage_tunnels",
            Duration.ofMinutes(5))).token();
    HttpResponse<String> created = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/tunnels"))
            .header("Authorization", "Bearer " + token)
            .header("anthropic-version", "2023-06-01")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"display_name\":\"from the CLI test\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    JsonNode tunnel = JSON.readTree(created.body());
    assertThat(tunnel.get("domain").asText()).endsWith(".tunnels.example.test");

    child.sigterm();
    assertThat(child.awaitExit(20)).as("exit code; stderr: %s", child.stderr).isZero();
    for (String line : child.stdout) {
      JSON.readTree(line); // every stdout line is a JSON log object
    }
    assertThat(String.join("\n", child.stdout) + String.join("\n", child.stderr))
        .doesNotContain(PASSWORD, token);
  }
}
