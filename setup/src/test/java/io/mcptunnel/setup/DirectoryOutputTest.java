package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryOutputTest {
  @TempDir
  Path tmp;

  static Map<String, String> sample() {
    Map<String, String> m = new LinkedHashMap<>();
    OutputKeys.ALL.forEach(k -> m.put(k, "value of " + k + "\n"));
    return m;
  }

  @Test
  void createsTheDirectoryOwnerOnlyAndEachFileWithItsMode() throws Exception {
    Path dir = tmp.resolve("new/out");
    DirectoryOutput output = new DirectoryOutput(dir);
    assertThat(output.read()).isEmpty();

    output.write(sample());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    for (String key : OutputKeys.ALL) {
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)));
      assertThat(mode).as(key).isEqualTo(OutputKeys.SECRETS.contains(key) ? "rw-------" : "rw-r--r--");
    }
    assertThat(output.read()).isEqualTo(sample());
    assertThat(output.describe()).isEqualTo("dir:" + dir);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(OutputKeys.ALL);
    }
  }

  @Test
  void aRewriteWithTheSameContentLeavesFilesUntouchedAndFixesModes() throws Exception {
    DirectoryOutput output = new DirectoryOutput(tmp);
    output.write(sample());
    FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
    Files.setLastModifiedTime(tmp.resolve("ca.crt"), old);
    Files.setLastModifiedTime(tmp.resolve("tls.key"), old);
    Files.setPosixFilePermissions(tmp.resolve("tls.key"), PosixFilePermissions.fromString("rw-r--r--"));

    output.write(sample());

    assertThat(Files.getLastModifiedTime(tmp.resolve("ca.crt"))).isEqualTo(old);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("tls.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void anEntryLeftOutIsRemoved() {
    DirectoryOutput output = new DirectoryOutput(tmp);
    output.write(sample());
    Map<String, String> fewer = sample();
    fewer.remove(OutputKeys.TOKEN_VERSION);
    output.write(fewer);
    assertThat(output.read()).doesNotContainKey(OutputKeys.TOKEN_VERSION).hasSize(7);
  }
}
