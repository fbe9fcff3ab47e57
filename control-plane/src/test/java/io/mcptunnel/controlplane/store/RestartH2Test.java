package io.mcptunnel.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartH2Test extends RestartContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }

  @Test
  void theEmbeddedDefaultIsOneFileUnderTheDataDirectory(@TempDir Path dataDirectory) {
    try (Database db = Database.openDataDirectory(dataDirectory.resolve("data"))) {
      assertThat(db.dataSource()).isNotNull();
    }
    assertThat(Files.exists(dataDirectory.resolve("data").resolve(Database.FILE_NAME + ".mv.db"))).isTrue();
  }
}
