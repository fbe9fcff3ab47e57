package io.mcptunnel.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads and writes the PEM files of SPEC §5 ({@code ca.crt}, {@code ca.key}, {@code tls.crt},
 * {@code tls.key}) and the PEM text of the Tunnels API. File errors read like Go's so operators see
 * the same wording from every component.
 */
public final class PemFiles {
  private static final String CERTIFICATE = "CERTIFICATE";

  private PemFiles() {}

  /** All CERTIFICATE blocks of the file, in file order. */
  public static List<X509Certificate> readCertificates(Path path) {
    return parseCertificates(readText(path), path.toString());
  }

  /** The private key of the file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC); never an encrypted one. */
  public static PrivateKey readPrivateKey(Path path) {
    return parsePrivateKey(readText(path), path.toString());
  }

  /**
   * The private key of the file, which may be encrypted PKCS#8 when {@code passphrase} is given;
   * a plaintext key is read as it is, with or without a passphrase.
   *
   * @throws KeyPassphraseException when the key is encrypted and no passphrase or a wrong one is
   *     given
   */
  public static PrivateKey readPrivateKey(Path path, KeyPassphrase passphrase) {
    return parsePrivateKey(readText(path), path.toString(), passphrase);
  }

  /** All CERTIFICATE blocks of {@code pem}; {@code sourceName} names the text in messages. */
  public static List<X509Certificate> parseCertificates(String pem, String sourceName) {
    List<PemObject> blocks;
    try {
      blocks = blocks(pem);
    } catch (IOException | RuntimeException e) {
      throw new PkiException(sourceName + ": invalid certificate: " + reason(e), e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (PemObject block : blocks) {
      if (CERTIFICATE.equals(block.getType())) {
        certificates.add(parseDer(block.getContent(), sourceName));
      }
    }
    if (certificates.isEmpty()) {
      throw new PkiException(sourceName + ": no CERTIFICATE block found in PEM");
    }
    return List.copyOf(certificates);
  }

  /** The first private key in {@code pem}; {@code sourceName} names the text in messages. */
  public static PrivateKey parsePrivateKey(String pem, String sourceName) {
    Object keyObject = firstKeyObject(pem, sourceName);
    if (keyObject == null) {
      throw new PkiException(sourceName + ": no private key found in PEM");
    }
    if (keyObject instanceof PKCS8EncryptedPrivateKeyInfo
        || keyObject instanceof PEMEncryptedKeyPair) {
      throw new PkiException(
          sourceName + ": encrypted private keys are not supported; decrypt it first");
    }
    return plainKey(keyObject, sourceName);
  }

  /**
   * The first private key in {@code pem}, decrypting an {@code ENCRYPTED PRIVATE KEY} (PKCS#8)
   * with {@code passphrase}; a plaintext key is returned as it is. {@code passphrase} may be null.
   *
   * @throws KeyPassphraseException when the key is encrypted and {@code passphrase} is null or wrong
   */
  public static PrivateKey parsePrivateKey(String pem, String sourceName, KeyPassphrase passphrase) {
    Object keyObject = firstKeyObject(pem, sourceName);
    if (keyObject instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
      return EncryptedKeys.decrypt(encrypted, sourceName, passphrase);
    }
    return parsePrivateKey(pem, sourceName);
  }

  /** Whether the first key in {@code pem} is encrypted (PKCS#8 or legacy OpenSSL encryption). */
  public static boolean isEncrypted(String pem) {
    Object keyObject = firstKeyObject(pem, "key");
    return keyObject instanceof PKCS8EncryptedPrivateKeyInfo
        || keyObject instanceof PEMEncryptedKeyPair;
  }

  static PrivateKey plainKey(Object keyObject, String sourceName) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      // Only the private half: SEC1 makes the public key optional and some writers omit it.
      return keyObject instanceof PEMKeyPair pair
          ? converter.getPrivateKey(pair.getPrivateKeyInfo())
          : converter.getPrivateKey((PrivateKeyInfo) keyObject);
    } catch (IOException e) {
      throw new PkiException(sourceName + ": invalid private key: " + reason(e), e);
    }
  }

  /**
   * The first key block, skipping the rest: openssl writes "EC PARAMETERS" before an EC key, and a
   * combined file may hold certificates too.
   */
  private static Object firstKeyObject(String pem, String sourceName) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PrivateKeyInfo
            || item instanceof PEMKeyPair
            || item instanceof PKCS8EncryptedPrivateKeyInfo
            || item instanceof PEMEncryptedKeyPair) {
          return item;
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      throw new PkiException(sourceName + ": invalid private key: " + reason(e), e);
    }
  }

  /** A single CERTIFICATE block. */
  public static String toPem(X509Certificate certificate) {
    try {
      return pem(CERTIFICATE, certificate.getEncoded());
    } catch (CertificateException e) {
      throw new PkiException("cannot encode certificate: " + e.getMessage(), e);
    }
  }

  /** An unencrypted PKCS#8 "PRIVATE KEY" block, readable by Go, openssl and Java alike. */
  public static String toPem(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new PkiException("cannot encode " + key.getAlgorithm() + " private key as PKCS#8");
    }
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /**
   * An {@code ENCRYPTED PRIVATE KEY} block (PKCS#8, PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC),
   * readable by {@code openssl pkey -passin} and by {@link #parsePrivateKey(String, String,
   * KeyPassphrase)}.
   */
  public static String toEncryptedPem(PrivateKey key, KeyPassphrase passphrase) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new PkiException("cannot encode " + key.getAlgorithm() + " private key as PKCS#8");
    }
    return pem("ENCRYPTED PRIVATE KEY", EncryptedKeys.encrypt(key, passphrase));
  }

  /** {@link #toEncryptedPem} with a passphrase, {@link #toPem(PrivateKey)} without (null). */
  public static String toPem(PrivateKey key, KeyPassphrase passphraseOrNull) {
    return passphraseOrNull == null ? toPem(key) : toEncryptedPem(key, passphraseOrNull);
  }

  /** Whether {@code key} is the private half of the certificate's public key (RSA or EC). */
  public static boolean keyMatchesCertificate(PrivateKey key, X509Certificate certificate) {
    var publicKey = certificate.getPublicKey();
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    if (key instanceof RSAKey rsaKey && publicKey instanceof RSAPublicKey rsaPublic) {
      return rsaKey.getModulus().equals(rsaPublic.getModulus());
    }
    if ("EC".equals(key.getAlgorithm())) {
      return signsForPublicKey(key, certificate, "SHA256withECDSA");
    }
    return false;
  }

  /** EC private keys do not carry their public point, so prove possession instead. */
  private static boolean signsForPublicKey(
      PrivateKey key, X509Certificate certificate, String algorithm) {
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A key on another curve cannot even be used against this public key: not a match.
      return false;
    }
  }

  static List<PemObject> blocks(String pem) throws IOException {
    List<PemObject> blocks = new ArrayList<>();
    try (PemReader reader = new PemReader(new StringReader(pem))) {
      for (PemObject block = reader.readPemObject();
          block != null;
          block = reader.readPemObject()) {
        blocks.add(block);
      }
    }
    return blocks;
  }

  static X509Certificate parseDer(byte[] der, String sourceName) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw new PkiException(sourceName + ": invalid certificate: " + reason(e), e);
    }
  }

  static String readText(Path path) {
    if (Files.isDirectory(path)) {
      throw new PkiException("read " + path + ": is a directory");
    }
    try {
      // PEM is ASCII; Latin-1 never fails to decode, so binary junk surfaces as "no PEM block".
      return new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw fileError(path, e);
    }
  }

  /** Go's wording for file errors, e.g. {@code open /x: no such file or directory}. */
  static PkiException fileError(Path path, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new PkiException("open " + path + ": no such file or directory", e);
    }
    if (e instanceof AccessDeniedException) {
      return new PkiException("open " + path + ": permission denied", e);
    }
    if (Files.isDirectory(path)) {
      return new PkiException("read " + path + ": is a directory", e);
    }
    return new PkiException("open " + path + ": " + reason(e), e);
  }

  /** Some JDK exceptions carry no message; their type is then the best reason we have. */
  static String reason(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
