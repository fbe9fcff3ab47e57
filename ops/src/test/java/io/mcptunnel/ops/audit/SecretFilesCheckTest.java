package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretFilesCheckTest {
  @ParameterizedTest
  @CsvSource({
      "rw-------, 0600, false",
      "r--------, 0400, false",
      "rw-r--r--, 0644, true",
      "rw-r-----, 0640, true",
      "rw-----w-, 0602, true",
      "rwx---r-x, 0705, true",
  })
  void groupOrOtherAccessIsHigh(String mode, String octal, boolean finding) {
    var f = new SecretFilesCheck.SecretFile("data/tls.key", PosixFilePermissions.fromString(mode), "alice", "1000");
    List<Finding> found = SecretFilesCheck.file(f, "alice");
    assertThat(SecretFilesCheck.octal(PosixFilePermissions.fromString(mode))).isEqualTo(octal);
    if (!finding) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(x -> {
      assertThat(x.check()).isEqualTo("secret-file-mode");
      assertThat(x.severity()).isEqualTo(Severity.HIGH);
      assertThat(x.evidence()).isEqualTo("mode " + octal + " (" + mode + ") lets group or others access a secret");
      assertThat(x.fix()).isEqualTo("chmod 600 data/tls.key");
    });
  }

  @Test
  void anotherOwnerIsNamed() {
    var f = new SecretFilesCheck.SecretFile("data/ca.key", PosixFilePermissions.fromString("rw-------"), "root", "0");
    assertThat(SecretFilesCheck.file(f, "alice")).singleElement().satisfies(x -> {
      assertThat(x.check()).isEqualTo("secret-file-owner");
      assertThat(x.evidence()).isEqualTo("owned by root (uid 0), not by alice who runs the stack");
    });
  }

  @ParameterizedTest
  @CsvSource({"rwx------, false", "rwxr-xr-x, true", "rwx--x---, true"})
  void dataFolderMustBePrivate(String mode, boolean finding) {
    assertThat(SecretFilesCheck.dataDir("data", PosixFilePermissions.fromString(mode))).hasSize(finding ? 1 : 0);
  }

  @ParameterizedTest
  @CsvSource({
      "-----BEGIN ENCRYPTED PRIVATE KEY-----, false",
      "'-----BEGIN RSA PRIVATE KEY----- Proc-Type: 4,ENCRYPTED', false",
      "-----BEGIN PRIVATE KEY-----, true",
      "-----BEGIN EC PRIVATE KEY-----, true",
  })
  void unencryptedCaKeyIsLow(String header, boolean finding) {
    List<Finding> found = SecretFilesCheck.caKey("data/ca.key", header);
    assertThat(found).hasSize(finding ? 1 : 0);
    found.forEach(f -> {
      assertThat(f.severity()).isEqualTo(Severity.LOW);
      assertThat(f.evidence()).isEqualTo("the CA private key is stored unencrypted (" + header + ")");
      assertThat(f.fix()).startsWith("encrypt it with setup's CA-key passphrase option");
    });
  }
}
