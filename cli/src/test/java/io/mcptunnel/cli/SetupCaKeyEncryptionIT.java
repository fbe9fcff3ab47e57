package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code setup init / renew-cert / rotate-ca} with ca.key encrypted at rest, against a real control plane. */
class SetupCaKeyEncryptionIT extends SetupItSupport {
  static final String PASSPHRASE = "correct horse battery";

  Path passFile;

  @BeforeEach
  void passphraseFile() throws Exception {
    passFile = dir.resolve("pass");
    Files.writeString(passFile, PASSPHRASE + "\n");
    Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("r--------"));
  }

  CliRun run(String... args) {
    CliRun run = setup(args);
    assertThat(run.out() + run.err()).doesNotContain(PASSPHRASE);
    return run;
  }

  PrivateKey caKey() {
    try (KeyPassphrase passphrase = KeyPassphrase.of(PASSPHRASE.toCharArray(), "test")) {
      return PemFiles.readPrivateKey(dir.resolve("out/ca.key"), passphrase);
    }
  }

  String missingPassphrase() {
    return "mcptunnel: " + out() + " ca.key is encrypted: give --ca-key-passphrase-file FILE or set"
        + " MCPTUNNEL_CA_KEY_PASSPHRASE\n";
  }

  @Test
  void initEncryptsCaKeyAndRenewCertNeedsThePassphrase() throws Exception {
    CliRun init = run("init", "--output", out(), "--ca-key-passphrase-file", passFile.toString());

    assertThat(init.exit()).as(init.err()).isZero();
    Map<String, String> files = files();
    assertThat(PemFiles.isEncrypted(files.get("ca.key"))).isTrue();
    assertThat(PemFiles.isEncrypted(files.get("tls.key"))).isFalse();
    assertThat(PemFiles.keyMatchesCertificate(caKey(), PemFiles.readCertificates(dir.resolve("out/ca.crt")).get(0)))
        .isTrue();

    CliRun without = run("renew-cert", "--output", out(), "--renew-before", "2200h");
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err()).isEqualTo(missingPassphrase());
    assertThat(files()).isEqualTo(files);

    env.put("MCPTUNNEL_CA_KEY_PASSPHRASE", "battery staple");
    CliRun wrong = run("renew-cert", "--output", out(), "--renew-before", "2200h");
    assertThat(wrong.err()).isEqualTo("mcptunnel: wrong passphrase for " + out() + " ca.key\n");
    assertThat(wrong.out() + wrong.err()).doesNotContain("battery staple");

    env.put("MCPTUNNEL_CA_KEY_PASSPHRASE", PASSPHRASE);
    CliRun renewed = run("renew-cert", "--output", out(), "--renew-before", "2200h");
    assertThat(renewed.exit()).as(renewed.err()).isZero();
    assertThat(renewed.out()).startsWith("renewed server certificate");
    assertThat(files().get("ca.key")).isEqualTo(files.get("ca.key"));
    assertThat(files().get("tls.crt")).isNotEqualTo(files.get("tls.crt"));

    // A re-run with the passphrase rewrites nothing; without it, it is refused before any change.
    env.remove("MCPTUNNEL_CA_KEY_PASSPHRASE");
    Map<String, String> before = files();
    CliRun again = run("init", "--output", out());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).isEqualTo(missingPassphrase());
    assertThat(files()).isEqualTo(before);
    assertThat(run("init", "--output", out(), "--ca-key-passphrase-file", passFile.toString()).exit()).isZero();
    assertThat(files().get("ca.key")).isEqualTo(before.get("ca.key"));
  }

  @Test
  void initWithAPassphraseEncryptsAStoredPlaintextCaKeyInPlace() throws Exception {
    assertThat(run("init", "--output", out()).exit()).isZero();
    String plain = files().get("ca.key");
    assertThat(PemFiles.isEncrypted(plain)).isFalse();

    CliRun init = run("init", "--output", out(), "--ca-key-passphrase-file", passFile.toString());

    assertThat(init.exit()).as(init.err()).isZero();
    assertThat(init.out()).contains("encrypting the stored plaintext ca.key with the given passphrase\n");
    assertThat(PemFiles.isEncrypted(files().get("ca.key"))).isTrue();
    assertThat(caKey().getEncoded()).isEqualTo(PemFiles.parsePrivateKey(plain, "plain").getEncoded());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out/ca.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void rotateCaKeepsTheNewCaKeyEncryptedUnderTheSamePassphraseAndRefusesWithoutIt() throws Exception {
    assertThat(run("init", "--output", out(), "--ca-key-passphrase-file", passFile.toString()).exit()).isZero();
    String id = files().get("tunnel-id");
    Map<String, String> before = files();

    CliRun without = run("rotate-ca", "--output", out());
    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.err()).isEqualTo(missingPassphrase());
    assertThat(files()).isEqualTo(before);
    assertThat(active(id)).hasSize(1);

    CliRun rotate = run("rotate-ca", "--output", out(), "--ca-key-passphrase-file", passFile.toString());

    assertThat(rotate.exit()).as(rotate.err()).isZero();
    assertThat(files().get("ca.key")).isNotEqualTo(before.get("ca.key"));
    assertThat(PemFiles.isEncrypted(files().get("ca.key"))).isTrue();
    var newCa = PemFiles.readCertificates(dir.resolve("out/ca.crt")).get(0);
    assertThat(PemFiles.keyMatchesCertificate(caKey(), newCa)).isTrue();
    assertThat(active(id)).singleElement()
        .satisfies(c -> assertThat(c.get("fingerprint").asText()).isEqualTo(Fingerprints.sha256Hex(newCa)));
  }
}
