package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.jwk.ECKey;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * The access-token signing key in the data directory (a private JWK), so tokens minted before a
 * restart still verify after it. Made once, owner-only, published atomically like the token key;
 * its content never appears in a message.
 */
public final class AccessTokenKeyFile {
  public static final String FILE_NAME = "access-token.jwk";

  private AccessTokenKeyFile() {}

  public static AccessTokenKey loadOrCreate(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDirectory);
      if (!Files.exists(file)) {
        create(file);
      }
      return parse(file, Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  private static AccessTokenKey parse(Path file, String json) {
    try {
      return AccessTokenKey.of(ECKey.parse(json));
    } catch (ParseException | IllegalArgumentException e) {
      // Never the content: it is a private key.
      throw new IllegalStateException(file + ": not a private P-256 JWK with a kid");
    }
  }

  private static void create(Path file) throws IOException {
    SecureFiles.createOnce(file, AccessTokenKey.generate().privateKey().toJSONString()
        .getBytes(StandardCharsets.UTF_8));
  }
}
