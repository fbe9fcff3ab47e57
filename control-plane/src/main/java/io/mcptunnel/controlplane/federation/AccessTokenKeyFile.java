package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
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
    String json = AccessTokenKey.generate().privateKey().toJSONString();
    Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", ownerOnly(file));
    try {
      Files.writeString(temp, json, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
      // A hard link appears atomically and never replaces: no half-written key after a crash,
      // and of two racing starts both read the one that won.
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException e) {
      // another process made it first: use theirs
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path file) {
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }
}
