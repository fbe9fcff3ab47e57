package io.mcptunnel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {
  @Test
  void missingBinariesFailLoudlyNamingThePackage(@TempDir Path root) {
    assertThatThrownBy(() -> PostgresServer.findBin(root.resolve("absent")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PostgreSQL binaries not found")
        .hasMessageContaining("apt-get install postgresql");
  }

  @Test
  void theNewestInstalledMajorVersionIsChosen(@TempDir Path root) throws Exception {
    for (String version : new String[] {"9", "15", "13"}) {
      Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
      for (String tool : new String[] {"initdb", "pg_ctl"}) {
        Files.createFile(bin.resolve(tool), PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwxr-xr-x")));
      }
    }
    assertThat(PostgresServer.findBin(root)).isEqualTo(root.resolve("15").resolve("bin"));
  }
}
