package io.mcptunnel.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files whole or not at all: a temporary file beside the target, created with its final
 * permissions (so a secret is never readable by others, not even for a moment), then renamed over
 * the target in one step. A reader sees the old content or the new, never half a key.
 */
public final class SecureFiles {
  /** Owner read/write only: private keys, tokens. */
  public static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
  /** Owner write, everyone read: certificates and other public material. */
  public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> OWNER = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /** Whether {@code mode} gives group or others any access: the one test of "owner only". */
  public static boolean grantsGroupOrOthers(Set<PosixFilePermission> mode) {
    return mode.stream().anyMatch(p -> !OWNER.contains(p));
  }

  /** The mode in octal as {@code chmod} and {@code ls} users read it, e.g. {@code 0640}. */
  public static String octal(Set<PosixFilePermission> mode) {
    int bits = 0;
    for (PosixFilePermission p : mode) {
      bits |= 1 << (8 - p.ordinal());
    }
    return String.format("%04o", bits);
  }

  public static void write(Path target, String content, Set<PosixFilePermission> permissions) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), permissions);
  }

  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(permissions));
    try {
      Files.write(tmp, content);
      // createTempFile's attribute is filtered by the umask; set the exact modes explicitly.
      Files.setPosixFilePermissions(tmp, permissions);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Writes a secret that must exist once and never change (a server key): whole, owner-only, and
   * only if there is none yet. A hard link appears atomically and never replaces, so a crash leaves
   * no half-written key and of two racing processes both go on to read the one that won.
   *
   * @return whether this call created the file
   */
  public static boolean createOnce(Path target, byte[] content) throws IOException {
    return createOnce(target, content, SECRET);
  }

  /** {@link #createOnce(Path, byte[])} with other modes, e.g. {@link #PUBLIC} for a certificate. */
  public static boolean createOnce(Path target, byte[] content, Set<PosixFilePermission> permissions)
      throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
        PosixFilePermissions.asFileAttribute(permissions));
    try {
      Files.write(tmp, content);
      Files.setPosixFilePermissions(tmp, permissions);
      Files.createLink(target, tmp);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
