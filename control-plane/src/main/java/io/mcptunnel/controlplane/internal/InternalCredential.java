package io.mcptunnel.controlplane.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The credential string {@code mcpti1.<client id>.<secret>}: 32 random bytes, base64url without
 * padding. The server keeps the secret's SHA-256 (lowercase hex) only. {@link #toString()} never
 * shows the secret.
 */
public record InternalCredential(String clientId, String secretSha256) {
  static final String PREFIX = "mcpti1";
  static final String ID_PREFIX = "icl_";
  static final int SECRET_BYTES = 32;
  private static final Pattern ID = Pattern.compile("icl_[0-9A-Za-z]{24}");
  // 32 bytes are 43 base64url characters without padding; the last one carries only 4 bits.
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new secret for {@code clientId}: the credential string (shown once) and what to store. */
  record Issued(String credential, InternalCredential stored) {
    @Override
    public String toString() {
      return "Issued[credential=<redacted>, clientId=" + stored.clientId() + "]";
    }
  }

  static Issued issue(String clientId) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    String text = PREFIX + "." + clientId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(text, new InternalCredential(clientId, sha256Hex(secret)));
  }

  /** The presented credential's client id and secret hash; empty when it is not one. */
  public static Optional<InternalCredential> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 3 || !parts[0].equals(PREFIX) || !ID.matcher(parts[1]).matches()
        || !SECRET.matcher(parts[2]).matches()) {
      return Optional.empty();
    }
    return Optional.of(new InternalCredential(parts[1], sha256Hex(Base64.getUrlDecoder().decode(parts[2]))));
  }

  /** Constant time in the hash's content. */
  boolean matches(String storedSha256) {
    return MessageDigest.isEqual(secretSha256.getBytes(StandardCharsets.US_ASCII),
        storedSha256.getBytes(StandardCharsets.US_ASCII));
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "InternalCredential[clientId=" + clientId + ", secret=<redacted>]";
  }
}
