package io.mcptunnel.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Fresh key pairs of the kinds setup needs (SPEC §5: P-256 CA, RSA server key). */
public final class KeyPairs {
  private KeyPairs() {}

  /** An ECDSA key pair on NIST P-256 (secp256r1). */
  public static KeyPair ecP256() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot generate EC P-256 key pair: " + e.getMessage(), e);
    }
  }

  /** An ECDSA key pair on NIST P-384 (secp384r1). */
  public static KeyPair ecP384() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp384r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new PkiException("cannot generate EC P-384 key pair: " + e.getMessage(), e);
    }
  }

  /** An RSA key pair with a modulus of {@code bits} bits. */
  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new PkiException("cannot generate RSA-" + bits + " key pair: " + e.getMessage(), e);
    }
  }
}
