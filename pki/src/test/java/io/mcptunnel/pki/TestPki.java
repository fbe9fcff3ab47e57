package io.mcptunnel.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Keys generated once per test JVM: RSA generation is the slow part of these tests. */
final class TestPki {
  static final KeyPair EC_CA = KeyPairs.ecP256();
  static final KeyPair EC_OTHER = KeyPairs.ecP256();
  static final KeyPair RSA_2048 = KeyPairs.rsa(2048);
  static final KeyPair RSA_2048_OTHER = KeyPairs.rsa(2048);
  static final KeyPair RSA_1024 = KeyPairs.rsa(1024);
  static final KeyPair EC_P384 = ecKey("secp384r1");
  // The JDK no longer implements these curves; BouncyCastle still does.
  static final KeyPair EC_P224 = ecKey("secp224r1");
  static final KeyPair EC_SECP256K1 = ecKey("secp256k1");

  static final IssuedCertificate CA =
      CertificateIssuer.createCa("test CA", Duration.ofDays(365), EC_CA);

  private TestPki() {}

  private static KeyPair ecKey(String curve) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
