package io.mcptunnel.pki;

import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * The passphrase protecting a CA key at rest. Held as {@code char[]} so it can be wiped ({@link
 * #close()}) instead of lingering in an immutable String; {@link #toString()} never shows it, so it
 * cannot leak into a log line or an exception message by accident.
 */
public final class KeyPassphrase implements AutoCloseable {
  private final char[] chars;

  private KeyPassphrase(char[] chars) {
    this.chars = chars;
  }

  /**
   * Takes over {@code chars} (they are wiped by {@link #close()}); {@code source} names where they
   * came from in the message when they are refused.
   *
   * @throws PkiException when the passphrase is empty
   */
  public static KeyPassphrase of(char[] chars, String source) {
    Objects.requireNonNull(chars, "chars");
    if (chars.length == 0) {
      throw new PkiException(source + ": the passphrase is empty");
    }
    return new KeyPassphrase(chars);
  }

  /**
   * The content of {@code file} without one trailing line ending. The file must not be readable or
   * writable by group or others (a passphrase everyone can read protects nothing).
   *
   * @throws PkiException naming the file and, for a refused mode, the mode
   */
  public static KeyPassphrase read(Path file) {
    String source = "passphrase file " + file;
    if (!Files.isRegularFile(file)) {
      throw new PkiException(source + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
    }
    byte[] bytes = null;
    try {
      String refused = refusedMode(Files.getPosixFilePermissions(file));
      if (refused != null) {
        throw new PkiException(source + ": mode " + refused
            + " lets group or others access it (expected: 0600 or 0400; chmod 600 " + file + ")");
      }
      bytes = Files.readAllBytes(file);
      return of(withoutLineEnding(decode(bytes, source)), source);
    } catch (IOException e) {
      throw new PkiException(source + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
    } finally {
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  /**
   * The mode in octal (e.g. {@code 0640}) when it gives group or others any access, else null.
   */
  static String refusedMode(Set<PosixFilePermission> mode) {
    return SecureFiles.grantsGroupOrOthers(mode) ? SecureFiles.octal(mode) : null;
  }

  /**
   * The passphrase without one trailing {@code \n} or {@code \r\n}, as {@code echo x > file} and
   * editors leave it; anything else (inner or leading spaces) is part of the passphrase.
   */
  static char[] withoutLineEnding(char[] text) {
    int end = text.length;
    if (end > 0 && text[end - 1] == '\n') {
      end--;
      if (end > 0 && text[end - 1] == '\r') {
        end--;
      }
    }
    if (end == text.length) {
      return text;
    }
    char[] trimmed = Arrays.copyOf(text, end);
    Arrays.fill(text, '\0');
    return trimmed;
  }

  private static char[] decode(byte[] bytes, String source) {
    try {
      CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      char[] chars = Arrays.copyOfRange(decoded.array(), decoded.position(), decoded.limit());
      Arrays.fill(decoded.array(), '\0');
      return chars;
    } catch (CharacterCodingException e) {
      throw new PkiException(source + ": not UTF-8 text");
    }
  }

  /** The passphrase itself, for the cipher; do not copy it into a String. */
  char[] chars() {
    return chars;
  }

  /** Wipes the passphrase; it cannot be used afterwards. */
  @Override
  public void close() {
    Arrays.fill(chars, '\0');
  }

  @Override
  public String toString() {
    return "KeyPassphrase[hidden]";
  }
}
