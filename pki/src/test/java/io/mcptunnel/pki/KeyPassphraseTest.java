package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyPassphraseTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "rw-------, ",
    "r--------, ",
    "rwx------, ",
    "rw-r-----, 0640",
    "rw----r--, 0604",
    "rw-r--r--, 0644",
    "rw--w----, 0620",
    "rw------x, 0601",
    "rwxrwxrwx, 0777",
  })
  void onlyOwnerOnlyModesAreAccepted(String mode, String refused) {
    assertThat(KeyPassphrase.refusedMode(PosixFilePermissions.fromString(mode))).isEqualTo(refused);
  }

  @ParameterizedTest(name = "[{index}]")
  @CsvSource(delimiter = '|', value = {
    "secret\\n|secret",
    "secret\\r\\n|secret",
    "secret|secret",
    "secret\\n\\n|secret\\n",
    "' secret \\n'|' secret '",
    "\\n|''",
  })
  void oneTrailingLineEndingIsStripped(String text, String expected) {
    String in = text.replace("\\r", "\r").replace("\\n", "\n");
    String out = expected.replace("\\n", "\n");
    assertThat(new String(KeyPassphrase.withoutLineEnding(in.toCharArray()))).isEqualTo(out);
  }

  @Test
  void readsTheFirstLineOfAnOwnerOnlyFile() throws Exception {
    Path file = write("correct horse\n", "rw-------");
    try (KeyPassphrase passphrase = KeyPassphrase.read(file)) {
      assertThat(new String(passphrase.chars())).isEqualTo("correct horse");
      assertThat(passphrase.toString()).doesNotContain("correct");
    }
  }

  @Test
  void aGroupReadableFileIsRefusedNamingTheMode() throws Exception {
    Path file = write("correct horse\n", "rw-r-----");
    assertThatThrownBy(() -> KeyPassphrase.read(file)).isInstanceOf(PkiException.class)
        .hasMessage("passphrase file " + file + ": mode 0640 lets group or others access it"
            + " (expected: 0600 or 0400; chmod 600 " + file + ")");
  }

  @Test
  void anEmptyPassphraseIsRefused() throws Exception {
    Path file = write("\n", "rw-------");
    assertThatThrownBy(() -> KeyPassphrase.read(file))
        .hasMessage("passphrase file " + file + ": the passphrase is empty");
    assertThatThrownBy(() -> KeyPassphrase.of(new char[0], "MCPTUNNEL_CA_KEY_PASSPHRASE"))
        .hasMessage("MCPTUNNEL_CA_KEY_PASSPHRASE: the passphrase is empty");
  }

  @Test
  void aMissingFileIsNamed() {
    Path file = dir.resolve("nope");
    assertThatThrownBy(() -> KeyPassphrase.read(file))
        .hasMessage("passphrase file " + file + ": no such file");
  }

  @Test
  void closeWipesThePassphrase() {
    char[] chars = "secret".toCharArray();
    KeyPassphrase.of(chars, "test").close();
    assertThat(chars).containsOnly('\0');
  }

  private Path write(String content, String mode) throws Exception {
    Path file = dir.resolve("passphrase");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }
}
