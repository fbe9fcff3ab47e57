package io.mcptunnel.pki;

import static io.mcptunnel.pki.CertificateIssuer.Usage.CRL_SIGN;
import static io.mcptunnel.pki.CertificateIssuer.Usage.DIGITAL_SIGNATURE;
import static io.mcptunnel.pki.CertificateIssuer.Usage.KEY_CERT_SIGN;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.CertificateIssuer.Spec;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CaCertificateValidatorTest {
  private static final Instant NOW = Instant.now();
  private static final String GOOD = PemFiles.toPem(TestPki.CA.certificate());

  /** A CA that passes every rule until a test changes one thing. */
  private static Spec ca(KeyPair keys) {
    return Spec.forKey(keys.getPublic(), "test CA")
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)))
        .basicConstraints(true, true)
        .keyUsage(KEY_CERT_SIGN, CRL_SIGN, DIGITAL_SIGNATURE);
  }

  private static String pem(Spec spec, KeyPair signer) {
    return PemFiles.toPem(spec.selfSigned(signer.getPrivate()));
  }

  /** Explanatory text before the block is legal PEM; use it to reach an exact size. */
  private static String paddedTo(String pem, int bytes) {
    return "#".repeat(bytes - pem.length() - 1) + "\n" + pem;
  }

  static Stream<Arguments> goodCertificates() {
    return Stream.<Arguments>of(
        Arguments.of("EC P-256 from createCa", (Supplier<String>) () -> GOOD),
        Arguments.of(
            "RSA 2048", (Supplier<String>) () -> pem(ca(TestPki.RSA_2048), TestPki.RSA_2048)),
        Arguments.of(
            "EC P-384 with SHA384withECDSA",
            (Supplier<String>)
                () ->
                    pem(
                        ca(TestPki.EC_P384).signatureAlgorithm("SHA384withECDSA"),
                        TestPki.EC_P384)),
        Arguments.of(
            "RSA SHA512withRSA",
            (Supplier<String>)
                () ->
                    pem(
                        ca(TestPki.RSA_2048).signatureAlgorithm("SHA512withRSA"),
                        TestPki.RSA_2048)),
        Arguments.of(
            "RSASSA-PSS with SHA-256",
            (Supplier<String>)
                () ->
                    pem(
                        ca(TestPki.RSA_2048).signatureAlgorithm("SHA256withRSAandMGF1"),
                        TestPki.RSA_2048)),
        Arguments.of(
            "text before the block", (Supplier<String>) () -> "subject=CN=test CA\n" + GOOD),
        Arguments.of("exactly 8192 bytes", (Supplier<String>) () -> paddedTo(GOOD, 8192)),
        Arguments.of(
            "EC P-256 built by Spec",
            (Supplier<String>) () -> pem(ca(TestPki.EC_CA), TestPki.EC_CA)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodCertificates")
  void acceptsAGoodCa(String name, Supplier<String> pem) {
    ValidationResult result = CaCertificateValidator.validatePem(pem.get(), NOW);

    assertThat(result.failure()).isNull();
    assertThat(result.valid()).isTrue();
    assertThat(result.certificate()).isPresent();
  }

  @Test
  void returnsTheParsedCertificate() {
    assertThat(CaCertificateValidator.validatePem(GOOD, NOW).certificate())
        .contains(TestPki.CA.certificate());
  }

  static Stream<Arguments> brokenRules() {
    String secondCa =
        PemFiles.toPem(
            CertificateIssuer.createCa("second", Duration.ofDays(1), TestPki.EC_OTHER)
                .certificate());
    return Stream.of(
        broken("not PEM", () -> "hello", "certificate must be PEM-encoded"),
        broken("empty", () -> "", "certificate must be PEM-encoded"),
        broken("null", () -> null, "certificate must be PEM-encoded"),
        broken(
            "base64 without armour",
            () -> GOOD.replaceAll("-----[A-Z ]+-----", ""),
            "certificate must be PEM-encoded"),
        broken(
            "broken base64",
            () -> "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
            "certificate must be PEM-encoded"),
        broken(
            "missing END line",
            () -> GOOD.substring(0, GOOD.indexOf("-----END")),
            "certificate must be PEM-encoded"),
        broken(
            "two certificates", () -> GOOD + secondCa, "exactly one certificate expected, found 2"),
        broken(
            "no certificate",
            () -> "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n",
            "exactly one certificate expected, found 0"),
        broken(
            "certificate with its PKCS#8 key",
            () -> GOOD + PemFiles.toPem(TestPki.EC_CA.getPrivate()),
            "PEM must not contain private key material"),
        broken(
            "certificate after an encrypted key",
            () ->
                "-----BEGIN " + "ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
                    + GOOD,
            "PEM must not contain private key material"),
        broken(
            "certificate with an OpenSSH key",
            () ->
                GOOD
                    + "-----BEGIN " + "OPENSSH PRIVATE KEY-----\n"
                    + "AAAA\n"
                    + "-----END OPENSSH PRIVATE KEY-----\n",
            "PEM must not contain private key material"),
        broken("8193 bytes", () -> paddedTo(GOOD, 8193), "certificate PEM exceeds 8192 bytes"),
        broken(
            "not a certificate inside the block",
            () -> "-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n",
            "CERTIFICATE block is not a valid X.509 certificate: "),
        broken(
            "basicConstraints not critical",
            () -> pem(ca(TestPki.EC_CA).basicConstraints(true, false), TestPki.EC_CA),
            "basicConstraints must be critical with CA:TRUE"),
        broken(
            "basicConstraints CA:FALSE",
            () -> pem(ca(TestPki.EC_CA).basicConstraints(false, true), TestPki.EC_CA),
            "basicConstraints must be critical with CA:TRUE"),
        broken(
            "no basicConstraints",
            () ->
                pem(
                    Spec.forKey(TestPki.EC_CA.getPublic(), "test CA").keyUsage(KEY_CERT_SIGN),
                    TestPki.EC_CA),
            "basicConstraints must be critical with CA:TRUE"),
        broken(
            "no subjectKeyIdentifier",
            () -> pem(ca(TestPki.EC_CA).subjectKeyIdentifier(false), TestPki.EC_CA),
            "subjectKeyIdentifier extension is required"),
        broken(
            "keyUsage without keyCertSign",
            () -> pem(ca(TestPki.EC_CA).keyUsage(DIGITAL_SIGNATURE, CRL_SIGN), TestPki.EC_CA),
            "keyUsage must include keyCertSign"),
        broken(
            "no keyUsage",
            () -> pem(ca(TestPki.EC_CA).keyUsage(), TestPki.EC_CA),
            "keyUsage must include keyCertSign"),
        broken(
            "not yet valid",
            () ->
                pem(
                    ca(TestPki.EC_CA).validity(NOW.plusSeconds(3600), NOW.plusSeconds(7200)),
                    TestPki.EC_CA),
            "certificate is not yet valid (notBefore "),
        broken(
            "expired",
            () ->
                pem(
                    ca(TestPki.EC_CA).validity(NOW.minusSeconds(7200), NOW.minusSeconds(3600)),
                    TestPki.EC_CA),
            "certificate has expired (notAfter "),
        broken(
            "RSA 1024",
            () -> pem(ca(TestPki.RSA_1024), TestPki.RSA_1024),
            "key too weak: RSA keys must be at least 2048 bits"),
        broken(
            "EC P-224",
            () -> pem(ca(TestPki.EC_P224), TestPki.EC_CA),
            "key too weak: EC keys must use P-256 or stronger"),
        broken(
            "EC secp256k1 (not a NIST curve)",
            () -> pem(ca(TestPki.EC_SECP256K1), TestPki.EC_CA),
            "key too weak: EC keys must use P-256 or stronger"),
        broken(
            "SHA1withRSA",
            () -> pem(ca(TestPki.RSA_2048).signatureAlgorithm("SHA1withRSA"), TestPki.RSA_2048),
            "signature algorithm SHA1withRSA is too weak (SHA-256 or stronger required)"),
        broken(
            "MD5withRSA",
            () -> pem(ca(TestPki.RSA_2048).signatureAlgorithm("MD5withRSA"), TestPki.RSA_2048),
            "signature algorithm MD5withRSA is too weak (SHA-256 or stronger required)"),
        broken(
            "SHA1withECDSA",
            () -> pem(ca(TestPki.EC_CA).signatureAlgorithm("SHA1withECDSA"), TestPki.EC_CA),
            "signature algorithm SHA1withECDSA is too weak (SHA-256 or stronger required)"),
        broken(
            "SHA224withECDSA",
            () -> pem(ca(TestPki.EC_CA).signatureAlgorithm("SHA224withECDSA"), TestPki.EC_CA),
            "signature algorithm SHA224withECDSA is too weak (SHA-256 or stronger required)"),
        broken(
            "RSASSA-PSS with SHA-1",
            () ->
                pem(
                    ca(TestPki.RSA_2048).signatureAlgorithm("SHA1withRSAandMGF1"),
                    TestPki.RSA_2048),
            "signature algorithm RSASSA-PSS is too weak (SHA-256 or stronger required)"));
  }

  private static Arguments broken(String name, Supplier<String> pem, String expectedFailure) {
    return Arguments.of(name, pem, expectedFailure);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRules")
  void namesTheFirstBrokenRule(String name, Supplier<String> pem, String expectedFailure) {
    ValidationResult result = CaCertificateValidator.validatePem(pem.get(), NOW);

    assertThat(result.valid()).isFalse();
    assertThat(result.failure()).startsWith(expectedFailure);
    assertThat(result.certificate()).isEmpty();
  }

  @Test
  void validityMessagesNameTheBoundary() {
    Instant notAfter = NOW.minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String expired =
        pem(ca(TestPki.EC_CA).validity(NOW.minusSeconds(7200), notAfter), TestPki.EC_CA);

    assertThat(CaCertificateValidator.validatePem(expired, NOW).failure())
        .isEqualTo("certificate has expired (notAfter " + notAfter + ")");
  }

  @Test
  void privateKeyCheckComesBeforeSize() {
    // Oversized and carrying a key: the key is the first rule broken, and the worse one.
    String pem = paddedTo(GOOD + PemFiles.toPem(TestPki.RSA_2048.getPrivate()), 9000);

    assertThat(CaCertificateValidator.validatePem(pem, NOW).failure())
        .isEqualTo("PEM must not contain private key material");
  }
}
