package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code openssl} (OpenSSL 3, /usr/bin/openssl) opens the CA keys we encrypt, sees the
 * scheme we promise (PBES2, PBKDF2-HMAC-SHA256 with 600000 rounds, AES-256-CBC), and we open keys it
 * encrypts. Missing openssl fails the test.
 */
class EncryptedKeyOpensslIT {
  static final Path OPENSSL = Path.of("/usr/bin/openssl");

  @TempDir
  Path dir;

  @Test
  void opensslOpensOurEncryptedKeyWithThePassphraseAndNotWithout() throws Exception {
    Path key = dir.resolve("ca.key");
    Files.writeString(key, PemFiles.toEncryptedPem(TestPki.EC_CA.getPrivate(),
        KeyPassphrase.of("correct horse".toCharArray(), "test")));
    Path pass = passFile("correct horse");

    Result plain = openssl("pkey", "-in", key.toString(), "-passin", "file:" + pass);
    assertThat(plain.exit()).as(plain.output()).isZero();
    assertThat(PemFiles.parsePrivateKey(plain.output(), "openssl").getEncoded())
        .isEqualTo(TestPki.EC_CA.getPrivate().getEncoded());

    Result wrong = openssl("pkey", "-in", key.toString(), "-passin", "pass:battery staple");
    assertThat(wrong.exit()).isNotZero();

    Result scheme = openssl("asn1parse", "-in", key.toString());
    assertThat(scheme.output()).contains(":PBES2", ":PBKDF2", ":hmacWithSHA256", ":aes-256-cbc")
        .contains("INTEGER           :0927C0"); // 600000 rounds
  }

  @Test
  void weOpenAKeyOpensslEncrypted() throws Exception {
    Path key = dir.resolve("openssl.key");
    Path pass = passFile("correct horse");
    Result made = openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-aes-256-cbc", "-pass", "file:" + pass, "-out", key.toString());
    assertThat(made.exit()).as(made.output()).isZero();

    try (KeyPassphrase passphrase = KeyPassphrase.read(pass)) {
      assertThat(PemFiles.readPrivateKey(key, passphrase).getAlgorithm()).isEqualTo("EC");
    }
  }

  private Path passFile(String text) throws Exception {
    Path pass = dir.resolve("pass");
    Files.writeString(pass, text + "\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
    return pass;
  }

  record Result(int exit, String output) {}

  private Result openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }
}
