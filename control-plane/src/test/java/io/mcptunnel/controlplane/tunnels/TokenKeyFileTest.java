package io.mcptunnel.controlplane.tunnels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeyFileTest {
  @Test
  void madeOnceOwnerOnlyAndReadBackOnEveryStart(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    byte[] first = TokenKeyFile.loadOrCreate(data);
    byte[] again = TokenKeyFile.loadOrCreate(data);

    assertThat(first).hasSize(32).isEqualTo(again);
    assertThat(PosixFilePermissions.toString(
        Files.getPosixFilePermissions(data.resolve(TokenKeyFile.FILE_NAME)))).isEqualTo("rw-------");
    try (var files = Files.list(data)) {
      assertThat(files).containsExactly(data.resolve(TokenKeyFile.FILE_NAME));
    }
  }

  @Test
  void aShortKeyIsRefusedWithoutShowingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve(TokenKeyFile.FILE_NAME), "tiny-secret");

    assertThatThrownBy(() -> TokenKeyFile.loadOrCreate(dir))
        .hasMessageContaining(TokenKeyFile.FILE_NAME)
        .hasMessageContaining("too short")
        .hasMessageNotContaining("tiny-secret");
  }
}
