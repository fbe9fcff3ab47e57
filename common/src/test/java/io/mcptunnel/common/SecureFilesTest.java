package io.mcptunnel.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecureFilesTest {

  @Test
  void secretsAreOwnerOnlyAndReplacedWhole(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("sub/tls.key");
    SecureFiles.write(key, "first", SecureFiles.SECRET);
    SecureFiles.write(key, "second", SecureFiles.SECRET);
    assertThat(Files.readString(key)).isEqualTo("second");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    try (var left = Files.list(key.getParent())) {
      assertThat(left).containsExactly(key);
    }
  }

  @Test
  void publicFilesAreWorldReadable(@TempDir Path dir) throws Exception {
    Path cert = dir.resolve("ca.crt");
    SecureFiles.write(cert, "cert", SecureFiles.PUBLIC);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert))).isEqualTo("rw-r--r--");
  }

  @Test
  void aKeyIsCreatedOnceOwnerOnlyAndNeverReplaced(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("keys/server.key");
    assertThat(SecureFiles.createOnce(key, new byte[] {1, 2, 3})).isTrue();
    assertThat(SecureFiles.createOnce(key, new byte[] {9})).isFalse();
    assertThat(Files.readAllBytes(key)).containsExactly(1, 2, 3);
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (var left = Files.list(key.getParent())) {
      assertThat(left).containsExactly(key); // no temporary file stays behind
    }
  }

  @ParameterizedTest
  @CsvSource({
      "rw-------, 0600, false",
      "r--------, 0400, false",
      "rwx------, 0700, false",
      "rw-r-----, 0640, true",
      "rw-----w-, 0602, true",
      "rwx--x---, 0710, true",
  })
  void ownerOnlyModesAndTheirOctalForm(String mode, String octal, boolean groupOrOthers) {
    var perms = PosixFilePermissions.fromString(mode);
    assertThat(SecureFiles.octal(perms)).isEqualTo(octal);
    assertThat(SecureFiles.grantsGroupOrOthers(perms)).isEqualTo(groupOrOthers);
  }
}
