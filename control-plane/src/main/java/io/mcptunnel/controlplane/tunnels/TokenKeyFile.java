package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The server key tunnel tokens are derived from, kept in the data directory next to the embedded
 * database: losing it changes every token, so it is made once and read on every start. Created
 * owner-only; its bytes never appear in a message.
 */
public final class TokenKeyFile {
  public static final String FILE_NAME = "token.key";
  static final int KEY_BYTES = 32;

  private TokenKeyFile() {}

  public static byte[] loadOrCreate(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDirectory);
      if (!Files.exists(file)) {
        create(file);
      }
      byte[] key = Files.readAllBytes(file);
      if (key.length < KEY_BYTES) {
        throw new IllegalStateException(
            file + ": token key too short (expected: at least " + KEY_BYTES + " bytes)");
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    SecureFiles.createOnce(file, key);
  }
}
