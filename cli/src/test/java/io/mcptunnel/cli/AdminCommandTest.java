package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcptunnel admin …} against a real control plane on loopback (embedded H2). */
class AdminCommandTest {
  @TempDir Path dir;
  AdminCliServer cp;
  String url;
  Path tokenFile;

  @BeforeEach
  void start() {
    cp = new AdminCliServer(dir);
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
  void createsAnOrganizationWorkspaceAndServiceAccountThenExportsTheAudit() throws Exception {
    CliRun org = admin("org", "create", "--display-name", "Acme", "--reason", "onboard");
    assertThat(org.exit()).as(org.err()).isZero();
    String o = AdminClient.JSON.readTree(org.out()).get("id").asText();
    assertThat(admin("org", "list").out()).contains(o);
    CliRun ws = admin("workspace", "create", "--org", o, "--display-name", "prod");
    assertThat(ws.exit()).as(ws.err()).isZero();
    String w = AdminClient.JSON.readTree(ws.out()).get("id").asText();
    CliRun sa = admin("service-account", "create", "--org", o, "--workspace", w);
    assertThat(sa.exit()).as(sa.err()).isZero();
    JsonNode account = AdminClient.JSON.readTree(sa.out());
    assertThat(account.get("workspace_ids").get(0).asText()).isEqualTo(w);
    assertThat(admin("auth-history", "--org", o).out()).contains("\"data\":[]");

    CliRun export = admin("audit", "export", "--org", o);
    assertThat(export.exit()).as(export.err()).isZero();
    String[] lines = export.out().strip().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(export.out()).contains("organization.create", "workspace.create", "service_account.create")
        .doesNotContain(Files.readString(tokenFile).trim());
  }

  @Test
  void orgUpdateSetsSsoRequiredWhichOrgListShows() throws Exception {
    String o = AdminClient.JSON.readTree(admin("org", "create").out()).get("id").asText();
    assertThat(organization(o).get("sso_required").asBoolean()).isFalse();

    CliRun on = admin("org", "update", o, "--sso-required", "--reason", "policy");
    assertThat(on.exit()).as(on.err()).isZero();
    assertThat(AdminClient.JSON.readTree(on.out()).get("sso_required").asBoolean()).isTrue();
    assertThat(organization(o).get("sso_required").asBoolean()).isTrue();

    CliRun off = admin("org", "update", o, "--sso-required=false");
    assertThat(off.exit()).as(off.err()).isZero();
    assertThat(organization(o).get("sso_required").asBoolean()).isFalse();
    assertThat(admin("audit", "export", "--org", o).out())
        .contains("\"outcome\":\"success (sso_required: true)\"", "\"outcome\":\"success (sso_required: false)\"");

    CliRun missing = admin("org", "update", o);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required option: '--sso-required");
    CliRun bad = admin("org", "update", o, "--sso-required=maybe");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--sso-required", "maybe");
    CliRun unknown = admin("org", "update", "org_nope", "--sso-required");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("control plane answered 404: not_found_error: organization org_nope not found");
  }

  JsonNode organization(String id) throws Exception {
    for (JsonNode o : AdminClient.JSON.readTree(admin("org", "list").out()).get("data")) {
      if (o.get("id").asText().equals(id)) {
        return o;
      }
    }
    throw new AssertionError("organization " + id + " not listed");
  }

  @Test
  void aRefusalIsOneLineWithTheServersMessageAndNoToken() throws Exception {
    CliRun bad = admin("org", "create", "--max-active-tunnels", "0");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("400", "max_active_tunnels").doesNotContain(Files.readString(tokenFile).trim());
    Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-token");
    CliRun denied = CliRun.of("admin", "org", "list", "--url", url, "--token-file", wrong.toString());
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.err()).contains("401", "authentication_error").doesNotContain("not-the-token");
    assertThat(CliRun.of("admin").exit()).isEqualTo(2);
  }
}
