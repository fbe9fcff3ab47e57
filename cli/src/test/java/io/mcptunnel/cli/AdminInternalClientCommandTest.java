package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcptunnel admin internal-client …} against a real control plane on loopback (embedded H2). */
class AdminInternalClientCommandTest {
  @TempDir Path dir;
  AdminCliServer cp;
  String url;
  Path tokenFile;

  @BeforeEach
  void start() {
    cp = new AdminCliServer(dir.resolve("data"));
    url = cp.url;
    tokenFile = cp.tokenFile;
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  CliRun admin(String... args) {
    return cp.admin(args);
  }

  @Test
  void createWritesTheCredentialOwnerOnlyPrintsTheRecordWithoutItAndNeverOverwrites() throws Exception {
    Path file = dir.resolve("edge-1.credential");
    CliRun created = admin("internal-client", "create", "--name", "edge-1", "--role", "edge",
        "--credential-file", file.toString(), "--reason", "new edge");
    assertThat(created.exit()).as(created.err()).isZero();
    String credential = Files.readString(file).trim();
    assertThat(credential).matches("mcpti1\\.icl_[0-9A-Za-z]{24}\\.[A-Za-z0-9_-]{43}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    JsonNode record = AdminClient.JSON.readTree(created.out());
    assertThat(record.has("credential")).isFalse();
    assertThat(record.get("role").asText()).isEqualTo("edge");
    String secret = credential.substring(credential.lastIndexOf('.') + 1);
    assertThat(created.out() + created.err()).doesNotContain(secret);
    assertThat(credential).contains(record.get("id").asText());

    // The credential in the file is what an edge presents.
    HttpResponse<String> feed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(url + "/internal/v1/edge/tunnel_state")).header("Authorization", "Bearer " + credential).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(feed.statusCode()).isEqualTo(200);

    CliRun again = admin("internal-client", "create", "--name", "edge-2", "--role", "edge",
        "--credential-file", file.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already exists", "refusing to overwrite");
    assertThat(Files.readString(file).trim()).isEqualTo(credential);
    CliRun list = admin("internal-client", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(AdminClient.JSON.readTree(list.out()).get("data")).as("no client made for a refused file").hasSize(1);
    assertThat(list.out()).doesNotContain(secret).doesNotContain("credential");
  }

  @Test
  void aCallerNeedsAnOrganizationAndRevokeIsIdempotent() throws Exception {
    String org = AdminClient.JSON.readTree(admin("org", "create").out()).get("id").asText();
    Path file = dir.resolve("creds").resolve("backend.credential");
    CliRun missingOrg = admin("internal-client", "create", "--name", "backend", "--role", "caller",
        "--credential-file", file.toString());
    assertThat(missingOrg.exit()).isEqualTo(1);
    assertThat(missingOrg.err()).contains("400", "organization_id");
    assertThat(file).doesNotExist();

    CliRun created = admin("internal-client", "create", "--name", "backend", "--role", "caller",
        "--organization", org, "--credential-file", file.toString());
    assertThat(created.exit()).as(created.err()).isZero();
    JsonNode record = AdminClient.JSON.readTree(created.out());
    assertThat(record.get("organization_id").asText()).isEqualTo(org);
    String id = record.get("id").asText();

    CliRun revoked = admin("internal-client", "revoke", id, "--reason", "rotated out");
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    String revokedAt = AdminClient.JSON.readTree(revoked.out()).get("revoked_at").asText();
    assertThat(revokedAt).isNotEqualTo("null");
    CliRun repeat = admin("internal-client", "revoke", id);
    assertThat(AdminClient.JSON.readTree(repeat.out()).get("revoked_at").asText()).isEqualTo(revokedAt);
    assertThat(admin("internal-client", "revoke", "icl_nope").err()).contains("404");
    assertThat(admin("internal-client").exit()).isEqualTo(2);
  }
}
