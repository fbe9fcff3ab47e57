package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.ServerCertificateValidator;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code mcptunnel setup renew-cert} and {@code rotate-ca} after an init, against a real control plane. */
class SetupCertificatesIT extends SetupItSupport {

  X509Certificate cert(String name) {
    return PemFiles.readCertificates(dir.resolve("out").resolve(name)).get(0);
  }

  boolean validates(X509Certificate server, X509Certificate ca, String domain) {
    return ServerCertificateValidator.validate(server, List.of(ca), "echo." + domain, Instant.now()).valid();
  }

  @Test
  void renewCertIsANoOpUntilTheWindowThenSignsWithTheStoredCa() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    Map<String, String> before = files();

    CliRun early = setup("renew-cert", "--output", out());
    assertThat(early.exit()).as(early.err()).isZero();
    assertThat(early.out()).startsWith("tls.crt is valid for 215").contains("more than --renew-before 720h0m0s; nothing to do");
    assertThat(files()).isEqualTo(before);

    CliRun wide = setup("renew-cert", "--output", out(), "--renew-before", "2200h", "--cert-duration", "48h");
    assertThat(wide.exit()).as(wide.err()).isZero();
    assertThat(wide.out()).startsWith("renewed server certificate for " + before.get("tunnel-domain"));
    assertThat(cert("tls.crt").getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofHours(49)));

    SetupRenewCertCommand.clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(12));
    assertThat(setup("renew-cert", "--output", out(), "--renew-before", "24h").out()).contains("nothing to do");
    SetupRenewCertCommand.clock = Clock.offset(Clock.systemUTC(), Duration.ofHours(25));
    CliRun late = setup("renew-cert", "--output", out(), "--renew-before", "24h");
    assertThat(late.out()).startsWith("renewed server certificate");

    Map<String, String> after = files();
    for (String unchanged : List.of("ca.crt", "ca.key", "tunnel-id", "tunnel-domain", "tunnel-token", "token-version")) {
      assertThat(after.get(unchanged)).as(unchanged).isEqualTo(before.get(unchanged));
    }
    assertThat(after.get("tls.key")).isNotEqualTo(before.get("tls.key"));
    assertThat(validates(cert("tls.crt"), cert("ca.crt"), before.get("tunnel-domain"))).isTrue();
  }

  @Test
  void rotateCaLeavesExactlyTheNewCaActiveAndTheServerCertificateSignedByIt() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    String id = files().get("tunnel-id");
    String domain = files().get("tunnel-domain");
    X509Certificate oldCa = cert("ca.crt");
    String oldId = active(id).get(0).get("id").asText();

    CliRun rotate = setup("rotate-ca", "--output", out());

    assertThat(rotate.exit()).as(rotate.err()).isZero();
    X509Certificate newCa = cert("ca.crt");
    String newFingerprint = Fingerprints.sha256Hex(newCa);
    assertThat(newFingerprint).isNotEqualTo(Fingerprints.sha256Hex(oldCa));
    assertThat(active(id)).singleElement().satisfies(c -> assertThat(c.get("fingerprint").asText()).isEqualTo(newFingerprint));
    String newId = active(id).get(0).get("id").asText();
    assertThat(rotate.out().lines()).containsExactly(
        "registered new CA " + newId + " (sha256 " + newFingerprint + "); callers now trust the old and the new CA",
        "wrote new ca.crt, ca.key, tls.crt, tls.key to " + out() + " (the proxy reloads its certificate)",
        "confirmed: tls.crt validates against the new CA, which is active",
        "archived old CA " + oldId + " (sha256 " + Fingerprints.sha256Hex(oldCa) + ")");
    assertThat(validates(cert("tls.crt"), newCa, domain)).isTrue();
    assertThat(validates(cert("tls.crt"), oldCa, domain)).isFalse();
    assertThat(files().get("tunnel-id")).isEqualTo(id);

    CliRun init = setup("init", "--output", out());
    assertThat(init.out()).contains("kept CA " + newId);
  }

  @Test
  void keepOldLeavesBothSlotsTakenSoTheNextRotationSaysWhatToRevoke() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    String id = files().get("tunnel-id");
    String oldId = active(id).get(0).get("id").asText();

    CliRun keep = setup("rotate-ca", "--output", out(), "--keep-old");
    assertThat(keep.exit()).as(keep.err()).isZero();
    assertThat(keep.out()).contains("kept old CA " + oldId + "; archive it once every proxy serves the new certificate: "
        + "POST /v1/tunnels/" + id + "/certificates/" + oldId + "/archive");
    assertThat(active(id)).hasSize(2);

    Map<String, String> before = files();
    CliRun full = setup("rotate-ca", "--output", out());
    assertThat(full.exit()).isEqualTo(1);
    assertThat(full.err()).startsWith("mcptunnel: tunnel " + id + " has both CA certificate slots taken (")
        .contains("revoke one with POST /v1/tunnels/" + id + "/certificates/<id>/archive");
    assertThat(files()).isEqualTo(before);
  }

  @Test
  void renewCertWithoutAnOutputSaysToRunInit() {
    CliRun run = setup("renew-cert", "--output", "dir:" + dir.resolve("nothing"));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mcptunnel: dir:" + dir.resolve("nothing")
        + " has no tunnel-domain; run mcptunnel setup init first\n");
    assertThat(Path.of(dir.resolve("nothing").toString())).doesNotExist();
  }

  @Test
  void aRevokedStoredCaIsNotRegisteredAgainAndRotateCaRecovers() throws Exception {
    assertThat(setup("init", "--output", out()).exit()).isZero();
    String id = files().get("tunnel-id");
    String revoked = active(id).get(0).get("id").asText();
    cp.api("POST", "/v1/tunnels/" + id + "/certificates/" + revoked + "/archive", tenant, null);

    CliRun init = setup("init", "--output", out());
    assertThat(init.exit()).isEqualTo(1);
    assertThat(init.err()).isEqualTo("mcptunnel: the stored CA (sha256 " + Fingerprints.sha256Hex(cert("ca.crt"))
        + ") is not an active certificate of tunnel " + id + " (revoked?); run mcptunnel setup rotate-ca to register a new one\n");
    assertThat(active(id)).isEmpty();

    CliRun rotate = setup("rotate-ca", "--output", out());
    assertThat(rotate.exit()).as(rotate.err()).isZero();
    assertThat(rotate.out()).contains("was not active; nothing to archive");
    assertThat(active(id)).singleElement()
        .satisfies(c -> assertThat(c.get("fingerprint").asText()).isEqualTo(Fingerprints.sha256Hex(cert("ca.crt"))));
    assertThat(setup("init", "--output", out()).exit()).isZero();
  }
}
