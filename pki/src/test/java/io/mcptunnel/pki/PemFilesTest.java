package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemFilesTest {
  // P-256 curve OID as openssl writes it before a SEC1 key (`openssl ecparam -genkey`).
  private static final String EC_PARAMETERS =
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
  private static final char[] PASSWORD = "not-a-real-secret".toCharArray();

  @TempDir Path dir;

  static Stream<Arguments> traditionalKeys() {
    return Stream.of(
        Arguments.of(
            "RSA PKCS#1",
            TestPki.RSA_2048,
            traditionalPem(TestPki.RSA_2048.getPrivate()),
            "-----BEGIN " + "RSA PRIVATE KEY-----"),
        Arguments.of(
            "EC SEC1 as openssl writes it",
            TestPki.EC_CA,
            sec1Pem(TestPki.EC_CA, true),
            "-----BEGIN " + "EC PRIVATE KEY-----"),
        Arguments.of(
            "EC SEC1 without the optional public key",
            TestPki.EC_CA,
            sec1Pem(TestPki.EC_CA, false),
            "-----BEGIN " + "EC PRIVATE KEY-----"),
        Arguments.of(
            "EC SEC1 after EC PARAMETERS",
            TestPki.EC_CA,
            EC_PARAMETERS + sec1Pem(TestPki.EC_CA, true),
            "-----BEGIN " + "EC PRIVATE KEY-----"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("traditionalKeys")
  void readsTraditionalKeyFiles(String format, KeyPair keys, String pem, String header)
      throws IOException {
    assertThat(pem).contains(header);
    Path file = Files.writeString(dir.resolve("tls.key"), pem);

    PrivateKey read = PemFiles.readPrivateKey(file);

    assertSameKey(read, keys.getPrivate());
  }

  static Stream<KeyPair> pkcs8Keys() {
    return Stream.of(TestPki.RSA_2048, TestPki.EC_CA, TestPki.EC_P384);
  }

  @ParameterizedTest
  @MethodSource("pkcs8Keys")
  void pkcs8RoundTrip(KeyPair keys) throws IOException {
    String pem = PemFiles.toPem(keys.getPrivate());
    assertThat(pem)
        .startsWith("-----BEGIN " + "PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
    Path file = Files.writeString(dir.resolve("key.pem"), pem);

    assertSameKey(PemFiles.readPrivateKey(file), keys.getPrivate());
  }

  @Test
  void certificatesRoundTripInFileOrder() throws IOException {
    X509Certificate first = TestPki.CA.certificate();
    X509Certificate second =
        CertificateIssuer.issueServer(
            TestPki.CA, TestPki.RSA_2048.getPublic(), List.of("abc.example"), Duration.ofDays(1));
    Path file =
        Files.writeString(dir.resolve("chain.crt"), PemFiles.toPem(second) + PemFiles.toPem(first));

    assertThat(PemFiles.readCertificates(file)).containsExactly(second, first);
  }

  @Test
  void certificatePemLooksLikeOpenssl() {
    String pem = PemFiles.toPem(TestPki.CA.certificate());

    assertThat(pem)
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(pem.lines().skip(1).findFirst().orElseThrow()).hasSize(64);
  }

  @Test
  void certificatesAreFoundBesideAKey() {
    String pem =
        PemFiles.toPem(TestPki.EC_CA.getPrivate()) + PemFiles.toPem(TestPki.CA.certificate());

    assertThat(PemFiles.parseCertificates(pem, "combined.pem"))
        .containsExactly(TestPki.CA.certificate());
    assertSameKey(PemFiles.parsePrivateKey(pem, "combined.pem"), TestPki.EC_CA.getPrivate());
  }

  @Test
  void missingFileReadsLikeGo() {
    Path missing = dir.resolve("nope.crt");

    assertThatThrownBy(() -> PemFiles.readCertificates(missing))
        .isInstanceOf(PkiException.class)
        .hasMessage("open " + missing + ": no such file or directory");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(missing))
        .hasMessage("open " + missing + ": no such file or directory");
  }

  @Test
  void directoryReadsLikeGo() {
    assertThatThrownBy(() -> PemFiles.readCertificates(dir))
        .isInstanceOf(PkiException.class)
        .hasMessage("read " + dir + ": is a directory");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(dir))
        .hasMessage("read " + dir + ": is a directory");
  }

  @Test
  void fileErrorsReadLikeGo() {
    // Tests may run as root, where chmod 000 does not deny anything; map the exceptions directly.
    Path file = dir.resolve("tls.key");

    assertThat(PemFiles.fileError(file, new AccessDeniedException(file.toString())))
        .hasMessage("open " + file + ": permission denied");
    assertThat(PemFiles.fileError(file, new IOException("Input/output error")))
        .hasMessage("open " + file + ": Input/output error")
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void noCertificateIsNamed() {
    String keyOnly = PemFiles.toPem(TestPki.EC_CA.getPrivate());

    assertThatThrownBy(() -> PemFiles.parseCertificates(keyOnly, "ca.crt"))
        .isInstanceOf(PkiException.class)
        .hasMessage("ca.crt: no CERTIFICATE block found in PEM");
    assertThatThrownBy(() -> PemFiles.parseCertificates("not pem at all", "ca.crt"))
        .hasMessage("ca.crt: no CERTIFICATE block found in PEM");
  }

  @Test
  void unparseableCertificateIsNamed() {
    String garbage = "-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n";

    assertThatThrownBy(() -> PemFiles.parseCertificates(garbage, "tls.crt"))
        .isInstanceOf(PkiException.class)
        .hasMessageStartingWith("tls.crt: invalid certificate: ");
  }

  @Test
  void noKeyIsNamed() {
    String certOnly = PemFiles.toPem(TestPki.CA.certificate());

    assertThatThrownBy(() -> PemFiles.parsePrivateKey(certOnly, "tls.key"))
        .isInstanceOf(PkiException.class)
        .hasMessage("tls.key: no private key found in PEM");
    assertThatThrownBy(() -> PemFiles.parsePrivateKey(EC_PARAMETERS, "tls.key"))
        .hasMessage("tls.key: no private key found in PEM");
  }

  static Stream<Arguments> encryptedKeys() throws Exception {
    PrivateKey key = TestPki.RSA_2048.getPrivate();
    var pkcs8Encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider())
            .setPassword(PASSWORD)
            .build();
    var traditionalEncryptor =
        new JcePEMEncryptorBuilder("AES-128-CBC")
            .setProvider(new BouncyCastleProvider())
            .build(PASSWORD);
    return Stream.of(
        Arguments.of(
            "PKCS#8 ENCRYPTED PRIVATE KEY",
            write(new JcaPKCS8Generator(key, pkcs8Encryptor)),
            "-----BEGIN " + "ENCRYPTED PRIVATE KEY-----"),
        Arguments.of(
            "PKCS#1 with Proc-Type",
            write(new JcaMiscPEMGenerator(key, traditionalEncryptor)),
            "Proc-Type: 4,ENCRYPTED"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encryptedKeys")
  void encryptedKeysAreRefused(String format, String pem, String marker) throws IOException {
    assertThat(pem).contains(marker);
    Path file = Files.writeString(dir.resolve("tls.key"), pem);

    assertThatThrownBy(() -> PemFiles.readPrivateKey(file))
        .isInstanceOf(PkiException.class)
        .hasMessage(file + ": encrypted private keys are not supported; decrypt it first");
  }

  static Stream<Arguments> keyCertificatePairs() {
    X509Certificate ecCert = TestPki.CA.certificate();
    X509Certificate rsaCert =
        CertificateIssuer.issueServer(
            TestPki.CA, TestPki.RSA_2048.getPublic(), List.of("abc.example"), Duration.ofDays(1));
    return Stream.of(
        Arguments.of("EC own key", TestPki.EC_CA.getPrivate(), ecCert, true),
        Arguments.of("EC other key", TestPki.EC_OTHER.getPrivate(), ecCert, false),
        Arguments.of("EC key on another curve", TestPki.EC_P384.getPrivate(), ecCert, false),
        Arguments.of("RSA own key", TestPki.RSA_2048.getPrivate(), rsaCert, true),
        Arguments.of("RSA other key", TestPki.RSA_2048_OTHER.getPrivate(), rsaCert, false),
        Arguments.of("RSA key for EC cert", TestPki.RSA_2048.getPrivate(), ecCert, false),
        Arguments.of("EC key for RSA cert", TestPki.EC_CA.getPrivate(), rsaCert, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyCertificatePairs")
  void keyMatchesOnlyItsOwnCertificate(
      String name, PrivateKey key, X509Certificate cert, boolean expected) {
    assertThat(PemFiles.keyMatchesCertificate(key, cert)).isEqualTo(expected);
  }

  @Test
  void keyReadFromPemStillMatches() {
    PrivateKey read = PemFiles.parsePrivateKey(sec1Pem(TestPki.EC_CA, true), "ca.key");

    assertThat(PemFiles.keyMatchesCertificate(read, TestPki.CA.certificate())).isTrue();
  }

  /** PKCS#1 for RSA, SEC1 for EC: what openssl's traditional commands write. */
  private static String traditionalPem(PrivateKey key) {
    try {
      return write(new JcaMiscPEMGenerator(key));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Same secret, whatever encoding details the JDK and BouncyCastle differ on. */
  private static void assertSameKey(PrivateKey actual, PrivateKey expected) {
    assertThat(actual.getAlgorithm()).isEqualTo(expected.getAlgorithm());
    if (expected instanceof RSAPrivateKey rsa) {
      assertThat(((RSAPrivateKey) actual).getPrivateExponent()).isEqualTo(rsa.getPrivateExponent());
    } else {
      assertThat(((ECPrivateKey) actual).getS()).isEqualTo(((ECPrivateKey) expected).getS());
    }
  }

  /**
   * SEC1 "EC PRIVATE KEY" with the curve OID, built by hand: the JDK's own encoding leaves the
   * curve out of the inner structure, which openssl never does.
   */
  private static String sec1Pem(KeyPair keys, boolean withPublicKey) {
    try {
      SubjectPublicKeyInfo publicInfo =
          SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
      ASN1Primitive curve = publicInfo.getAlgorithm().getParameters().toASN1Primitive();
      BigInteger secret = ((ECPrivateKey) keys.getPrivate()).getS();
      var sec1 =
          withPublicKey
              ? new org.bouncycastle.asn1.sec.ECPrivateKey(
                  256, secret, publicInfo.getPublicKeyData(), curve)
              : new org.bouncycastle.asn1.sec.ECPrivateKey(256, secret, curve);
      return write(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String write(PemObjectGenerator generator) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(generator);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toString();
  }
}
