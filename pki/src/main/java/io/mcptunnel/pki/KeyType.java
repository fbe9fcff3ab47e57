package io.mcptunnel.pki;

import java.security.KeyPair;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The key kinds this project issues certificates for, each strong enough for the SPEC §4.1 rules
 * (RSA ≥ 2048 bits, ECDSA ≥ P-256). The {@link #id()} is the spelling used on the command line.
 */
public enum KeyType {
  ECDSA_P256("ecdsa-p256"),
  ECDSA_P384("ecdsa-p384"),
  RSA_2048("rsa-2048"),
  RSA_3072("rsa-3072"),
  RSA_4096("rsa-4096");

  private final String id;

  KeyType(String id) {
    this.id = id;
  }

  /** The command-line name, e.g. {@code ecdsa-p256}. */
  public String id() {
    return id;
  }

  /** RSA keys also get keyEncipherment in a server certificate; ECDSA keys cannot encipher. */
  public boolean isRsa() {
    return name().startsWith("RSA_");
  }

  /** A fresh key pair of this kind. RSA-4096 takes about a second. */
  public KeyPair generate() {
    return switch (this) {
      case ECDSA_P256 -> KeyPairs.ecP256();
      case ECDSA_P384 -> KeyPairs.ecP384();
      case RSA_2048 -> KeyPairs.rsa(2048);
      case RSA_3072 -> KeyPairs.rsa(3072);
      case RSA_4096 -> KeyPairs.rsa(4096);
    };
  }

  /**
   * The key type named {@code text} (case-insensitive).
   *
   * @throws PkiException naming the accepted values
   */
  public static KeyType parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(type -> type.id.equals(wanted))
        .findFirst()
        .orElseThrow(
            () -> new PkiException("key type: \"" + text + "\" (expected: " + ids() + ")"));
  }

  /** All ids, comma-separated, for help and error texts. */
  public static String ids() {
    return Arrays.stream(values()).map(KeyType::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
