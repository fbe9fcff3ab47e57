package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.testing.TestOidcIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcptunnel admin issuer create}, {@code rule create}, {@code service-account add-to-workspace}
 * and {@code audit export --server} against a real control plane on loopback (embedded H2): the
 * printed record, and for bad input exit 1 with a one-line error, no stack trace, no admin token.
 */
class AdminFederationCommandTest {
  @TempDir Path dir;
  AdminCliServer cp;
  String url;
  Path tokenFile;
  String org;
  String workspace;

  @BeforeEach
  void start() throws IOException {
    cp = new AdminCliServer(dir.resolve("data"));
    url = cp.url;
    tokenFile = cp.tokenFile;
    org = json(ok(admin("org", "create", "--display-name", "Acme"))).get("id").asText();
    workspace = json(ok(admin("workspace", "create", "--org", org))).get("id").asText();
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  CliRun admin(String... args) {
    return cp.admin(args);
  }

  static CliRun ok(CliRun run) {
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    return run;
  }

  static JsonNode json(CliRun run) throws IOException {
    return AdminClient.JSON.readTree(run.out());
  }

  /** Exit 1, one line on stderr holding {@code parts}, nothing on stdout, no stack trace, no token. */
  void assertRefused(CliRun run, String... parts) throws IOException {
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip()).doesNotContain("\n").contains(parts);
    assertThat(run.err()).doesNotContain("Exception", "\tat ", Files.readString(tokenFile).trim());
  }

  String serviceAccount() throws IOException {
    return json(ok(admin("service-account", "create", "--org", org, "--workspace", workspace))).get("id").asText();
  }

  @Test
  void issuerCreateWithDiscoveryAndWithAnInlineJwksFromAFile() throws Exception {
    JsonNode discovery = json(ok(admin("issuer", "create", "--org", org,
        "--issuer-url", "https://token.actions.githubusercontent.com", "--reason", "ci")));
    assertThat(discovery.get("type").asText()).isEqualTo("federation_issuer");
    assertThat(discovery.get("organization_id").asText()).isEqualTo(org);
    assertThat(discovery.get("issuer_url").asText()).isEqualTo("https://token.actions.githubusercontent.com");
    assertThat(discovery.get("jwks_source").asText()).isEqualTo("discovery");
    assertThat(discovery.get("id").asText()).startsWith("fdis_");

    JsonNode explicit = json(ok(admin("issuer", "create", "--org", org, "--issuer-url", "https://idp.example.com",
        "--jwks-source", "explicit_url", "--jwks-url", "https://idp.example.com/keys")));
    assertThat(explicit.get("jwks_url").asText()).isEqualTo("https://idp.example.com/keys");

    try (TestOidcIssuer idp = TestOidcIssuer.start(Clock.systemUTC())) {
      Path jwks = Files.writeString(dir.resolve("jwks.json"), idp.publishedJwks());
      CliRun inline = ok(admin("issuer", "create", "--org", org, "--issuer-url", "https://inline.example.com",
          "--jwks-source", "inline", "--jwks-file", jwks.toString()));
      JsonNode record = json(inline);
      assertThat(record.get("jwks_source").asText()).isEqualTo("inline");
      assertThat(record.has("jwks")).isFalse();
      assertThat(inline.out()).doesNotContain("\"kty\"", idp.rsaKeyId());
    }
    assertThat(ok(admin("audit", "export", "--org", org)).out()).contains("federation.issuer.create")
        .doesNotContain("kty");
  }

  @Test
  void issuerCreateRefusalsAreOneLine() throws Exception {
    assertRefused(admin("issuer", "create", "--org", org, "--issuer-url", "ftp://x.example.com"), "400", "issuer_url");
    assertRefused(admin("issuer", "create", "--org", org, "--issuer-url", "https://x.example.com",
        "--jwks-source", "ldap"), "400", "jwks_source");
    assertRefused(admin("issuer", "create", "--org", org, "--issuer-url", "https://x.example.com",
        "--jwks-source", "inline"), "400", "jwks", "missing");
    Path secret = Files.writeString(dir.resolve("secret.json"),
        "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s1\",\"k\":\"c3VwZXItc2VjcmV0LXN5bW1ldHJpYy1rZXk\"}]}");
    CliRun symmetric = admin("issuer", "create", "--org", org, "--issuer-url", "https://x.example.com",
        "--jwks-source", "inline", "--jwks-file", secret.toString());
    assertRefused(symmetric, "400", "jwks", "private or symmetric");
    assertThat(symmetric.err()).doesNotContain("c3VwZXItc2VjcmV0LXN5bW1ldHJpYy1rZXk");
    assertRefused(admin("issuer", "create", "--org", org, "--issuer-url", "https://x.example.com",
        "--jwks-source", "inline", "--jwks-file", dir.resolve("absent.json").toString()), "cannot read --jwks-file");
    assertRefused(admin("issuer", "create", "--org", "org_nope", "--issuer-url", "https://x.example.com"),
        "404", "org_nope");
    assertThat(admin("issuer", "create", "--org", org).exit()).as("--issuer-url is required").isEqualTo(2);
  }

  @Test
  void ruleCreatePrintsTheRuleAndRefusesBadInput() throws Exception {
    String sa = serviceAccount();
    String issuer = json(ok(admin("issuer", "create", "--org", org, "--issuer-url", "https://idp.example.com")))
        .get("id").asText();
    JsonNode rule = json(ok(admin("rule", "create", "--org", org, "--issuer", issuer,
        "--subject-prefix", "repo:acme/app:*", "--audience", "mcptunnel", "--claim", "environment=prod",
        "--service-account", sa, "--workspace", workspace, "--token-lifetime-seconds", "900", "--reason", "ci")));
    assertThat(rule.get("type").asText()).isEqualTo("federation_rule");
    assertThat(rule.get("id").asText()).startsWith("fdrl_");
    assertThat(rule.get("issuer_id").asText()).isEqualTo(issuer);
    assertThat(rule.at("/match/subject_prefix").asText()).isEqualTo("repo:acme/app:*");
    assertThat(rule.at("/match/audience").asText()).isEqualTo("mcptunnel");
    assertThat(rule.at("/match/claims/environment").asText()).isEqualTo("prod");
    assertThat(rule.get("service_account_id").asText()).isEqualTo(sa);
    assertThat(rule.get("workspace_id").asText()).isEqualTo(workspace);
    assertThat(rule.get("scope").asText()).isEqualTo("workspace:manage_tunnels");
    assertThat(rule.get("token_lifetime_seconds").asInt()).isEqualTo(900);
    // claims alone are enough; the default lifetime applies
    assertThat(json(ok(admin("rule", "create", "--org", org, "--issuer", issuer, "--audience", "mcptunnel",
        "--claim", "repository=acme/app", "--service-account", sa, "--workspace", workspace)))
        .get("token_lifetime_seconds").asInt()).isEqualTo(3600);

    String[] common = {"--org", org, "--audience", "mcptunnel", "--service-account", sa, "--workspace", workspace};
    assertRefused(rule(common, "--issuer", issuer), "400", "subject_prefix", "claims");
    assertRefused(rule(common, "--issuer", issuer, "--subject-prefix", "*"), "400", "match.subject_prefix");
    assertRefused(rule(common, "--issuer", issuer, "--subject-prefix", "repo:x", "--token-lifetime-seconds", "59"),
        "400", "token_lifetime_seconds");
    assertRefused(rule(common, "--issuer", issuer, "--subject-prefix", "repo:x", "--token-lifetime-seconds", "86401"),
        "400", "token_lifetime_seconds");
    assertRefused(rule(common, "--issuer", "fdis_nope", "--subject-prefix", "repo:x"), "400", "issuer_id", "fdis_nope");
    assertRefused(admin("rule", "create", "--org", org, "--issuer", issuer, "--subject-prefix", "repo:x",
        "--audience", "mcptunnel", "--service-account", "sa_nope", "--workspace", workspace),
        "400", "service_account_id", "sa_nope");
    assertRefused(admin("rule", "create", "--org", org, "--issuer", issuer, "--subject-prefix", "repo:x",
        "--audience", "mcptunnel", "--service-account", sa, "--workspace", "ws_nope"), "400", "workspace_id", "ws_nope");
    assertThat(admin("rule", "create", "--org", org, "--issuer", issuer, "--subject-prefix", "repo:x",
        "--service-account", sa, "--workspace", workspace).exit()).as("--audience is required").isEqualTo(2);
  }

  CliRun rule(String[] common, String... more) {
    String[] all = new String[2 + common.length + more.length];
    all[0] = "rule";
    all[1] = "create";
    System.arraycopy(common, 0, all, 2, common.length);
    System.arraycopy(more, 0, all, 2 + common.length, more.length);
    return admin(all);
  }

  @Test
  void serviceAccountAddToWorkspacePrintsTheAccountAndRefusesBadInput() throws Exception {
    String sa = serviceAccount();
    String second = json(ok(admin("workspace", "create", "--org", org))).get("id").asText();
    JsonNode added = json(ok(admin("service-account", "add-to-workspace", "--org", org, "--service-account", sa,
        "--workspace", second, "--reason", "staging too")));
    assertThat(added.get("type").asText()).isEqualTo("service_account");
    assertThat(added.get("id").asText()).isEqualTo(sa);
    assertThat(added.get("workspace_ids").toString()).contains(workspace, second);

    assertRefused(admin("service-account", "add-to-workspace", "--org", org, "--service-account", sa,
        "--workspace", second), "409", "already a member");
    assertRefused(admin("service-account", "add-to-workspace", "--org", org, "--service-account", sa,
        "--workspace", "ws_nope"), "400", "workspace_id", "ws_nope");
    assertRefused(admin("service-account", "add-to-workspace", "--org", org, "--service-account", "sa_nope",
        "--workspace", second), "404", "sa_nope");
    assertThat(admin("service-account", "add-to-workspace", "--org", org, "--service-account", sa).exit())
        .as("--workspace is required").isEqualTo(2);
    assertThat(ok(admin("audit", "export", "--org", org)).out()).contains("service_account.workspace.add",
        "staging too");
  }

  @Test
  void auditExportOfTheServerScopeHoldsEdgeInternalClients() throws Exception {
    CliRun edge = ok(admin("internal-client", "create", "--name", "edge-1", "--role", "edge",
        "--credential-file", dir.resolve("edge-1.credential").toString(), "--reason", "new node"));
    String id = json(edge).get("id").asText();
    CliRun export = ok(admin("audit", "export", "--server"));
    String[] lines = export.out().strip().split("\n");
    assertThat(lines).hasSize(1);
    JsonNode event = AdminClient.JSON.readTree(lines[0]);
    assertThat(event.get("organization_id").asText()).isEqualTo("server");
    assertThat(event.get("action").asText()).isEqualTo("internal_client.create");
    assertThat(event.get("target").asText()).isEqualTo(id);
    String credential = Files.readString(dir.resolve("edge-1.credential")).trim();
    assertThat(export.out()).doesNotContain(credential.substring(credential.lastIndexOf('.') + 1),
        Files.readString(tokenFile).trim());
    // the organization's log does not have it
    assertThat(ok(admin("audit", "export", "--org", org)).out()).doesNotContain(id);

    assertThat(admin("audit", "export", "--server", "--org", org).exit()).as("one scope only").isEqualTo(2);
    assertThat(admin("audit", "export").exit()).as("a scope is required").isEqualTo(2);
  }
}
