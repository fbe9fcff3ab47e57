package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.pki.KeyPassphrase;
import io.mcptunnel.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code pki create-ca} / {@code issue-server-cert} with an encrypted CA key, and the passphrase sources. */
class PkiCaKeyPassphraseTest {
  static final String DOMAIN = "abc12345.tunnels.example";
  static final String PASSPHRASE = "correct horse battery";

  @TempDir
  Path dir;

  final Map<String, String> env = new HashMap<>();
  Path caCrt;
  Path caKey;
  Path passFile;

  @BeforeEach
  void setUp() throws Exception {
    SetupCommand.environment = env::get;
    caCrt = dir.resolve("ca.crt");
    caKey = dir.resolve("ca.key");
    passFile = dir.resolve("pass");
    Files.writeString(passFile, PASSPHRASE + "\n");
    Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-------"));
  }

  @AfterEach
  void restore() {
    SetupCommand.environment = System::getenv;
  }

  CliRun createCa(String... extra) {
    return run(new String[] {"pki", "create-ca", "--cert-out", caCrt.toString(), "--key-out", caKey.toString()}, extra);
  }

  CliRun issue(String... extra) {
    return run(new String[] {"pki", "issue-server-cert", "--ca-cert", caCrt.toString(), "--ca-key", caKey.toString(),
        "--domain", DOMAIN, "--key-type", "ecdsa-p256", "--cert-out", dir.resolve("tls.crt").toString(),
        "--key-out", dir.resolve("tls.key").toString()}, extra);
  }

  static CliRun run(String[] base, String[] extra) {
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    CliRun run = CliRun.of(all);
    assertThat(run.out() + run.err()).doesNotContain(PASSPHRASE).doesNotContain("battery staple");
    return run;
  }

  @Test
  void createCaWithAPassphraseFileWritesAnEncryptedKeyThatIssueServerCertOpens() throws Exception {
    CliRun created = createCa("--ca-key-passphrase-file", passFile.toString());

    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("CA key:         " + caKey + " (mode 0600, encrypted with the passphrase)");
    assertThat(PemFiles.isEncrypted(Files.readString(caKey))).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(caKey))).isEqualTo("rw-------");
    try (KeyPassphrase passphrase = KeyPassphrase.of(PASSPHRASE.toCharArray(), "test")) {
      assertThat(PemFiles.keyMatchesCertificate(PemFiles.readPrivateKey(caKey, passphrase),
          PemFiles.readCertificates(caCrt).get(0))).isTrue();
    }

    CliRun issued = issue("--ca-key-passphrase-file", passFile.toString());
    assertThat(issued.exit()).as(issued.err()).isZero();
    // The server key stays plaintext: the proxy reads it unattended.
    assertThat(PemFiles.isEncrypted(Files.readString(dir.resolve("tls.key")))).isFalse();
    assertThat(PemFiles.readPrivateKey(dir.resolve("tls.key"))).isNotNull();
  }

  @Test
  void theEnvironmentVariableWorksLikeTheFile() {
    env.put("MCPTUNNEL_CA_KEY_PASSPHRASE", PASSPHRASE);
    assertThat(createCa().exit()).isZero();
    assertThat(issue().exit()).isZero();
    env.clear();
    env.put("MCPTUNNEL_CA_KEY_PASSPHRASE_FILE", passFile.toString());
    CliRun viaFile = issue("--force");
    assertThat(viaFile.exit()).as(viaFile.err()).isZero();
  }

  @Test
  void anEncryptedKeyWithoutAPassphraseSaysHowToGiveOne() {
    assertThat(createCa("--ca-key-passphrase-file", passFile.toString()).exit()).isZero();

    CliRun run = issue();

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mcptunnel: " + caKey
        + " is encrypted: give --ca-key-passphrase-file FILE or set MCPTUNNEL_CA_KEY_PASSPHRASE\n");
    assertThat(dir.resolve("tls.crt")).doesNotExist();
  }

  @Test
  void aWrongPassphraseIsOneLineWithoutIt() {
    assertThat(createCa("--ca-key-passphrase-file", passFile.toString()).exit()).isZero();
    env.put("MCPTUNNEL_CA_KEY_PASSPHRASE", "battery staple");

    CliRun run = issue();

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mcptunnel: wrong passphrase for " + caKey + "\n");
    assertThat(dir.resolve("tls.key")).doesNotExist();
  }

  @Test
  void aGroupReadablePassphraseFileIsRefusedNamingItsMode() throws Exception {
    Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-r-----"));

    CliRun run = createCa("--ca-key-passphrase-file", passFile.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mcptunnel: passphrase file " + passFile
        + ": mode 0640 lets group or others access it (expected: 0600 or 0400; chmod 600 " + passFile + ")\n");
    assertThat(caKey).doesNotExist();
  }

  @Test
  void anEmptyPassphraseIsRefused() throws Exception {
    env.put("MCPTUNNEL_CA_KEY_PASSPHRASE", "");
    CliRun run = createCa();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mcptunnel: MCPTUNNEL_CA_KEY_PASSPHRASE: the passphrase is empty\n");
    assertThat(caKey).doesNotExist();
  }

  @Test
  void twoSourcesAreRefused() {
    env.put("MCPTUNNEL_CA_KEY_PASSPHRASE", PASSPHRASE);
    CliRun run = createCa("--ca-key-passphrase-file", passFile.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mcptunnel: the CA key passphrase is given more than once"
        + " (--ca-key-passphrase-file, MCPTUNNEL_CA_KEY_PASSPHRASE); give exactly one\n");
    assertThat(caKey).doesNotExist();
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} -> {3}")
  @CsvSource(nullValues = "-", value = {
    "-,     -,  -,      -",
    "/p,    -,  -,      --ca-key-passphrase-file",
    "-,     pw, -,      MCPTUNNEL_CA_KEY_PASSPHRASE",
    "-,     -,  /q,     MCPTUNNEL_CA_KEY_PASSPHRASE_FILE",
  })
  void exactlyOneSourceIsChosen(String option, String env, String envFile, String chosen) {
    var source = CaKeyPassphraseOption.choose(option == null ? null : Path.of(option), env, envFile);
    assertThat(source == null ? null : source.name()).isEqualTo(chosen);
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2}")
  @CsvSource(nullValues = "-", value = {
    "/p, pw, -",
    "/p, -,  /q",
    "-,  pw, /q",
    "/p, pw, /q",
  })
  void moreThanOneSourceIsRefused(String option, String env, String envFile) {
    assertThatThrownBy(() -> CaKeyPassphraseOption.choose(option == null ? null : Path.of(option), env, envFile))
        .hasMessageStartingWith("the CA key passphrase is given more than once (")
        .hasMessageNotContaining("pw");
  }
}
