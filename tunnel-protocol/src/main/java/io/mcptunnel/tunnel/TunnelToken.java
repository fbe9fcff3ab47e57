package io.mcptunnel.tunnel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A tunnel token: {@code mcpt1.<tunnel id>.<token id>.<secret>}, the secret 32 random bytes in
 * base64url. The ids let the edge find the tunnel and tell a rotated token from a wrong one without
 * storing the secret: it keeps only {@link #secretHash()}. {@link #toString()} never shows the secret.
 */
public final class TunnelToken {
  private static final String PREFIX = "mcpt1";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String tunnelId;
  private final String tokenId;
  private final byte[] secret;

  private TunnelToken(String tunnelId, String tokenId, byte[] secret) {
    this.tunnelId = tunnelId;
    this.tokenId = tokenId;
    this.secret = secret.clone();
  }

  /** A fresh token with a random secret. */
  public static TunnelToken generate(String tunnelId, String tokenId) {
    requireId(tunnelId, "tunnel id");
    requireId(tokenId, "token id");
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new TunnelToken(tunnelId, tokenId, secret);
  }

  /** Builds a token from a secret derived elsewhere (e.g. an HMAC of a server key and the token id). */
  public static TunnelToken of(String tunnelId, String tokenId, byte[] secret) {
    requireId(tunnelId, "tunnel id");
    requireId(tokenId, "token id");
    if (secret.length < 16) {
      throw new IllegalArgumentException("token secret too short");
    }
    return new TunnelToken(tunnelId, tokenId, secret);
  }

  /** Parses the encoded form; empty when it is not a well-formed token (the reason is not echoed). */
  public static Optional<TunnelToken> parse(String encoded) {
    if (encoded == null) {
      return Optional.empty();
    }
    String[] parts = encoded.trim().split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals(PREFIX) || !ID.matcher(parts[1]).matches()
        || !ID.matcher(parts[2]).matches()) {
      return Optional.empty();
    }
    try {
      byte[] secret = Base64.getUrlDecoder().decode(parts[3]);
      return secret.length < 16 ? Optional.empty() : Optional.of(new TunnelToken(parts[1], parts[2], secret));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public String tunnelId() {
    return tunnelId;
  }

  public String tokenId() {
    return tokenId;
  }

  /** The encoded token: a secret, for the connector's environment or token file only. */
  public String encode() {
    return PREFIX + "." + tunnelId + "." + tokenId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Lowercase hex SHA-256 of the secret: what a registry stores instead of the token. */
  public String secretHash() {
    return sha256Hex(secret);
  }

  /** Whether the secret hashes to {@code expectedHash}, compared in constant time. */
  public boolean matches(String expectedHash) {
    byte[] expected = expectedHash.getBytes(StandardCharsets.US_ASCII);
    byte[] actual = secretHash().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireId(String id, String what) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(what + " must be 1-64 of [A-Za-z0-9_-]");
    }
  }

  @Override
  public String toString() {
    return "TunnelToken[tunnel=" + tunnelId + ", token=" + tokenId + ", secret=<redacted>]";
  }
}
