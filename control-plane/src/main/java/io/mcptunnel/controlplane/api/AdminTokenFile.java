package io.mcptunnel.controlplane.api;

import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server operator's admin token: {@code admin.token} in the data directory, 32 random bytes
 * as base64url, created owner-only (0600) at first start. The operator reads it from the file; the
 * server never logs it.
 */
public final class AdminTokenFile {
  public static final String FILE_NAME = "admin.token";
  static final int MIN_LENGTH = 32;

  private AdminTokenFile() {}

  public static String loadOrCreate(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDirectory);
      if (!Files.exists(file)) {
        create(file);
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (token.length() < MIN_LENGTH) {
        throw new IllegalStateException(file + ": admin token too short (expected: at least "
            + MIN_LENGTH + " characters)");
      }
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    SecureFiles.createOnce(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
  }
}
