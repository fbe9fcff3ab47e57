package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import io.mcptunnel.setup.OutputKeys;
import io.mcptunnel.setup.TunnelPki;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mcptunnel setup init} against a real control plane. */
class SetupInitIT extends SetupItSupport {
  @Test
  void createsATunnelAndAReRunChangesNothing() throws Exception {
    CliRun first = setup("init", "--output", out());

    assertThat(first.exit()).as(first.err()).isZero();
    Map<String, String> files = files();
    assertThat(files.keySet()).containsExactlyInAnyOrderElementsOf(OutputKeys.ALL);
    String id = files.get("tunnel-id");
    String domain = files.get("tunnel-domain");
    assertThat(id).startsWith("tnl_");
    assertThat(domain).endsWith("." + ControlPlaneFixture.ZONE);
    X509Certificate ca = PemFiles.readCertificates(dir.resolve("out/ca.crt")).get(0);
    String fingerprint = Fingerprints.sha256Hex(ca);
    assertThat(first.out().lines()).containsExactly(
        "created tunnel " + id + " (domain " + domain + ")",
        "registered CA " + active(id).get(0).get("id").asText() + " (sha256 " + fingerprint + ")",
        "issued server certificate for " + domain + " and *." + domain,
        "wrote " + out() + " (8 files)");
    assertThat(active(id)).singleElement().satisfies(c -> assertThat(c.get("fingerprint").asText()).isEqualTo(fingerprint));
    assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(TunnelPki.CA_VALIDITY).minusSeconds(3600));
    X509Certificate server = PemFiles.readCertificates(dir.resolve("out/tls.crt")).get(0);
    assertThat(ServerCertificateValidator.validate(server, List.of(ca), "echo." + domain, Instant.now()).valid()).isTrue();
    assertThat(server.getNotAfter().toInstant()).isBetween(Instant.now().plus(java.time.Duration.ofDays(89)),
        Instant.now().plus(java.time.Duration.ofDays(90)));
    assertThat(files.get("tunnel-token")).isEqualTo(reveal(id));
    assertThat(files.get("token-version")).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out")))).isEqualTo("rwx------");
    for (String key : OutputKeys.ALL) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out").resolve(key))))
          .as(key).isEqualTo(OutputKeys.SECRETS.contains(key) ? "rw-------" : "rw-r--r--");
    }

    CliRun again = setup("init", "--output", out());

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(files()).isEqualTo(files);
    assertThat(again.out()).startsWith("using tunnel " + id).contains("kept CA ").doesNotContain("rotated", "created", "issued");
    assertThat(tunnelCount()).isEqualTo(1);
    assertThat(certificates(id)).hasSize(1);
  }

  @Test
  void tokenVersionRotatesOnlyWhenItChanges() throws Exception {
    assertThat(setup("init", "--output", out(), "--token-version", "1").exit()).isZero();
    String id = files().get("tunnel-id");
    String first = files().get("tunnel-token");

    CliRun same = setup("init", "--output", out(), "--token-version", "1");
    assertThat(same.out()).doesNotContain("rotated");
    assertThat(files().get("tunnel-token")).isEqualTo(first).isEqualTo(reveal(id));

    CliRun changed = setup("init", "--output", out(), "--token-version", "2");
    assertThat(changed.exit()).as(changed.err()).isZero();
    assertThat(changed.out()).contains("rotated token (token-version changed from 1 to 2)");
    String second = files().get("tunnel-token");
    assertThat(second).isNotEqualTo(first).isEqualTo(reveal(id));
    assertThat(files().get("token-version")).isEqualTo("2");

    CliRun unset = setup("init", "--output", out());
    assertThat(unset.out()).doesNotContain("rotated");
    assertThat(files().get("token-version")).isEqualTo("2");
    assertThat(files().get("tunnel-token")).isEqualTo(second);
  }

  @Test
  void severExistingRotatesWithSeveringAndNeedsATokenVersion() throws Exception {
    CliRun alone = setup("init", "--output", out(), "--sever-existing");
    assertThat(alone.exit()).isEqualTo(2);
    assertThat(alone.err()).contains("--sever-existing requires --token-version (severing happens with a rotation)");
    assertThat(dir.resolve("out")).doesNotExist();

    assertThat(setup("init", "--output", out(), "--token-version", "1").exit()).isZero();
    String id = files().get("tunnel-id");
    CliRun severed = setup("init", "--output", out(), "--token-version", "2", "--sever-existing");
    assertThat(severed.exit()).as(severed.err()).isZero();
    assertThat(severed.out()).contains("rotated token (token-version changed from 1 to 2);"
        + " edges drop the connections made with older tokens");
    assertThat(files().get("tunnel-token")).isEqualTo(reveal(id));

    CliRun again = setup("init", "--output", out(), "--token-version", "2", "--sever-existing");
    assertThat(again.exit()).as("a re-run stays idempotent").isZero();
    assertThat(again.out()).contains("token not rotated (token-version 2 is the stored one for this tunnel),"
        + " so --sever-existing severed no connections; pass a new --token-version to rotate and sever");

    JsonNode audit = cp.admin("GET", "/v1/admin/organizations/" + tenant.organization()
        + "/audit?after_id=0&limit=1000", null);
    List<String> outcomes = new ArrayList<>();
    audit.get("data").forEach(e -> {
      if (e.get("action").asText().equals("tunnel.token.rotate")) {
        outcomes.add(e.get("reason").asText() + " -> " + e.get("outcome").asText());
      }
    });
    assertThat(outcomes).containsExactly(
        "mcptunnel setup init: token-version changed from 1 to 2 -> success (sever_existing: true)");
  }

  @Test
  void attachesToAnExistingTunnelAndADifferentIdIsANewTunnelForTheOutput() throws Exception {
    String a = cp.api("POST", "/v1/tunnels", tenant, "{}").get("id").asText();
    String b = cp.api("POST", "/v1/tunnels", tenant, "{}").get("id").asText();

    CliRun attach = setup("init", "--output", out(), "--tunnel-id", a);
    assertThat(attach.exit()).as(attach.err()).isZero();
    assertThat(attach.out()).startsWith("attached to tunnel " + a);
    String caA = files().get("ca.crt");
    assertThat(files().get("tunnel-id")).isEqualTo(a);
    assertThat(active(a)).hasSize(1);

    CliRun same = setup("init", "--output", out(), "--tunnel-id", a);
    assertThat(same.out()).startsWith("using tunnel " + a).contains("kept CA");
    assertThat(active(a)).hasSize(1);

    env.put("TUNNEL_ID", b);
    CliRun other = setup("init", "--output", out());
    assertThat(other.exit()).as(other.err()).isZero();
    assertThat(other.out()).startsWith("attached to tunnel " + b).contains("registered CA");
    assertThat(files().get("tunnel-id")).isEqualTo(b);
    assertThat(files().get("ca.crt")).isNotEqualTo(caA);
    assertThat(files().get("tunnel-token")).isEqualTo(reveal(b));
    assertThat(tunnelCount()).isEqualTo(2);
  }

  @Test
  void bothSlotsTakenFailsSayingToRevokeOne() throws Exception {
    String id = cp.api("POST", "/v1/tunnels", tenant, "{}").get("id").asText();
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String pem = PemFiles.toPem(TunnelPki.newCa("x").certificate());
      taken.add(cp.api("POST", "/v1/tunnels/" + id + "/certificates", tenant,
          ControlPlaneFixture.JSON.createObjectNode().put("ca_certificate_pem", pem).toString()).get("id").asText());
    }

    CliRun run = setup("init", "--output", out(), "--tunnel-id", id);

    assertThat(run.exit()).isEqualTo(1);
    List<String> ids = active(id).stream().map(c -> c.get("id").asText()).toList();
    assertThat(ids).containsExactlyInAnyOrderElementsOf(taken);
    assertThat(run.err()).isEqualTo("mcptunnel: tunnel " + id + " has both CA certificate slots taken ("
        + String.join(", ", ids) + "); revoke one with POST /v1/tunnels/" + id
        + "/certificates/<id>/archive (or Revoke in the console), then run again\n");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void identityTokenMustComeFromExactlyOneVariable() throws Exception {
    env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", Files.writeString(dir.resolve("jwt"), identityToken).toString());
    CliRun both = setup("init", "--output", out());
    assertThat(both.exit()).isEqualTo(1);
    assertThat(both.err()).isEqualTo("mcptunnel: set exactly one of ANTHROPIC_IDENTITY_TOKEN_FILE and"
        + " ANTHROPIC_IDENTITY_TOKEN, not both\n");

    env.remove("ANTHROPIC_IDENTITY_TOKEN_FILE");
    env.remove("ANTHROPIC_IDENTITY_TOKEN");
    CliRun neither = setup("init", "--output", out());
    assertThat(neither.exit()).isEqualTo(1);
    assertThat(neither.err()).startsWith("mcptunnel: set exactly one of ANTHROPIC_IDENTITY_TOKEN_FILE").contains("neither");

    env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", dir.resolve("jwt").toString());
    CliRun fromFile = setup("init", "--output", out());
    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
  }

  @Test
  void apiErrorsAreOneLineWithStatusAndMessage() {
    env.put("ANTHROPIC_IDENTITY_TOKEN", idp.token("someone-else", ControlPlaneFixture.AUDIENCE).sign(JWSAlgorithm.ES256));
    CliRun refused = setup("init", "--output", out());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("mcptunnel: POST /v1/oauth/token: 401 authentication_error: Authentication failed\n");

    env.put("ANTHROPIC_IDENTITY_TOKEN", identityToken);
    CliRun unknown = setup("init", "--output", out(), "--tunnel-id", "tnl_doesnotexist");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).startsWith("mcptunnel: GET /v1/tunnels/tnl_doesnotexist: 404 not_found_error: ")
        .hasLineCount(1);

    CliRun clear = setup("init", "--output", out(), "--api-url", "http://cp.example.com:7850");
    assertThat(clear.exit()).isEqualTo(1);
    assertThat(clear.err()).contains("uses http to a non-loopback host");
  }
}
