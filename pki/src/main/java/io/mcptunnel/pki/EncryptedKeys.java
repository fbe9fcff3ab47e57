package io.mcptunnel.pki;

import java.io.IOException;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * Private keys encrypted at rest as PKCS#8 {@code ENCRYPTED PRIVATE KEY}: PBES2 with PBKDF2-HMAC-SHA256
 * and AES-256-CBC, the scheme {@code openssl pkey -aes256} writes, so operators can open the file
 * with openssl too.
 */
final class EncryptedKeys {
  /**
   * PBKDF2 rounds: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Costs about half a second per
   * encryption or decryption, paid only by the commands that use the CA key.
   */
  static final int ITERATIONS = 600_000;

  // A private instance, like CertificateIssuer's: the JDK lacks "AES/CBC/PKCS7Padding" by that name.
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private EncryptedKeys() {}

  static byte[] encrypt(PrivateKey key, KeyPassphrase passphrase) {
    try {
      var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
          .setPRF(PKCS8Generator.PRF_HMACSHA256)
          .setIterationCount(ITERATIONS)
          .setProvider(BC)
          .setPassword(passphrase.chars())
          .build();
      return new JcaPKCS8Generator(key, encryptor).generate().getContent();
    } catch (OperatorCreationException | PemGenerationException | RuntimeException e) {
      throw new PkiException("cannot encrypt the private key: " + PemFiles.reason(e), e);
    }
  }

  static PrivateKey decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, String source,
      KeyPassphrase passphrase) {
    if (passphrase == null) {
      throw KeyPassphraseException.missing(source);
    }
    PrivateKeyInfo info;
    try {
      info = encrypted.decryptPrivateKeyInfo(
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(passphrase.chars()));
    } catch (Exception e) {
      // A wrong passphrase shows as bad padding or, rarely, as garbage that does not parse.
      throw KeyPassphraseException.wrong(source, e);
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw KeyPassphraseException.wrong(source, e);
    }
  }
}
