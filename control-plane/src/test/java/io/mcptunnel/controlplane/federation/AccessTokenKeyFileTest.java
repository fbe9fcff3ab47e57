package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenKeyFileTest {
  @TempDir Path dir;

  @Test
  void createdOnceOwnerOnlyAndReadBack() throws Exception {
    AccessTokenKey first = AccessTokenKeyFile.loadOrCreate(dir.resolve("data"));
    Path file = dir.resolve("data").resolve(AccessTokenKeyFile.FILE_NAME);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    AccessTokenKey again = AccessTokenKeyFile.loadOrCreate(dir.resolve("data"));
    assertThat(again.keyId()).isEqualTo(first.keyId());
    assertThat(again.publicKey()).isEqualTo(first.publicKey());
    try (var files = Files.list(dir.resolve("data"))) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aDamagedFileIsRefusedWithoutEchoingIt() throws Exception {
    Files.writeString(dir.resolve(AccessTokenKeyFile.FILE_NAME), "{\"kty\":\"EC\",\"d\":\"secret-bytes\"}");
    assertThatThrownBy(() -> AccessTokenKeyFile.loadOrCreate(dir))
        .hasMessageContaining("not a private P-256 JWK")
        .hasMessageNotContaining("secret-bytes");
  }
}
