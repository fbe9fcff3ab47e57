package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateIssuerTest {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";

  private final Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final IssuedCertificate ca =
      CertificateIssuer.createCa("tunnel CA", Duration.ofDays(5 * 365), TestPki.EC_CA);
  private final X509Certificate server =
      CertificateIssuer.issueServer(
          ca,
          TestPki.RSA_2048.getPublic(),
          List.of("abc.example", "*.abc.example"),
          Duration.ofDays(90));

  @Test
  void caIsASelfSignedLeafOnlyCa() throws Exception {
    X509Certificate cert = ca.certificate();

    cert.verify(TestPki.EC_CA.getPublic());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=tunnel CA");
    assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
    assertThat(cert.getBasicConstraints()).isZero(); // CA:TRUE, pathLen 0
    assertThat(cert.getCriticalExtensionOIDs()).contains(BASIC_CONSTRAINTS, KEY_USAGE);
    // digitalSignature(0), keyCertSign(5), cRLSign(6) and nothing else
    assertThat(cert.getKeyUsage()).startsWith(true, false, false, false, false, true, true, false);
    assertThat(CertificateExtensions.subjectKeyIdentifier(cert)).isNotEmpty();
    assertThat(CertificateExtensions.authorityKeyIdentifier(cert))
        .isEqualTo(CertificateExtensions.subjectKeyIdentifier(cert));
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(ca.privateKey()).isSameAs(TestPki.EC_CA.getPrivate());
  }

  @Test
  void validityStartsAMinuteEarlyAndLastsTheRequestedTime() {
    Instant after = Instant.now();
    X509Certificate cert = ca.certificate();

    assertThat(cert.getNotBefore().toInstant())
        .isBetween(before.minus(Duration.ofMinutes(1)), after.minus(Duration.ofSeconds(59)));
    assertThat(cert.getNotAfter().toInstant())
        .isBetween(before.plus(Duration.ofDays(5 * 365)), after.plus(Duration.ofDays(5 * 365)));
    assertThat(server.getNotAfter().toInstant())
        .isBetween(before.plus(Duration.ofDays(90)), after.plus(Duration.ofDays(90)));
  }

  @Test
  void serverCertificateHasTheTlsServerProfile() throws Exception {
    server.verify(TestPki.EC_CA.getPublic());
    assertThat(server.getSubjectX500Principal().getName()).isEqualTo("CN=abc.example");
    assertThat(server.getIssuerX500Principal())
        .isEqualTo(ca.certificate().getSubjectX500Principal());
    assertThat(server.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, "abc.example"), List.of(2, "*.abc.example"));
    assertThat(server.getBasicConstraints()).isEqualTo(-1);
    assertThat(server.getExtensionValue(BASIC_CONSTRAINTS)).isNotNull();
    assertThat(server.getCriticalExtensionOIDs()).contains(KEY_USAGE);
    // digitalSignature(0), keyEncipherment(2)
    assertThat(server.getKeyUsage()).startsWith(true, false, true, false, false, false, false);
    assertThat(server.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(CertificateExtensions.subjectKeyIdentifier(server)).isNotEmpty();
    assertThat(CertificateExtensions.authorityKeyIdentifier(server))
        .isEqualTo(CertificateExtensions.subjectKeyIdentifier(ca.certificate()));
    assertThat(server.getPublicKey()).isEqualTo(TestPki.RSA_2048.getPublic());
  }

  @Test
  void rsaIssuerSignsWithSha256WithRsa() {
    IssuedCertificate rsaCa =
        CertificateIssuer.createCa("rsa CA", Duration.ofDays(1), TestPki.RSA_2048_OTHER);
    X509Certificate cert =
        CertificateIssuer.issueServer(
            rsaCa, TestPki.EC_OTHER.getPublic(), List.of("abc.example"), Duration.ofDays(1));

    assertThat(rsaCa.certificate().getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(cert.getSigAlgName()).isEqualTo("SHA256withRSA");
  }

  @Test
  void serialsArePositiveRandomAndAtMost128Bits() {
    BigInteger first = ca.certificate().getSerialNumber();
    BigInteger second = server.getSerialNumber();

    assertThat(first).isPositive().isNotEqualTo(second);
    assertThat(first.bitLength()).isLessThanOrEqualTo(128);
    assertThat(second).isPositive();
    assertThat(second.bitLength()).isLessThanOrEqualTo(128);
  }

  @Test
  void issuedCertificatesPassTheirOwnRules() {
    Instant now = Instant.now();

    assertThat(CaCertificateValidator.validatePem(PemFiles.toPem(ca.certificate()), now).valid())
        .isTrue();
    assertThat(
            ServerCertificateValidator.validate(
                    server, List.of(ca.certificate()), "echo.abc.example", now)
                .valid())
        .isTrue();
  }

  @Test
  void serverNeedsADnsName() {
    assertThatThrownBy(
            () ->
                CertificateIssuer.issueServer(
                    ca, TestPki.RSA_2048.getPublic(), List.of(), Duration.ofDays(1)))
        .isInstanceOf(PkiException.class)
        .hasMessageContaining("at least one DNS name");
  }

  @Test
  void specCanBreakTheRules() {
    X509Certificate weird =
        CertificateIssuer.Spec.forKey(TestPki.RSA_2048.getPublic(), "weird")
            .basicConstraints(true, false)
            .subjectKeyIdentifier(false)
            .authorityKeyIdentifier(null)
            .signatureAlgorithm("SHA1withRSA")
            .selfSigned(TestPki.RSA_2048.getPrivate());

    assertThat(weird.getCriticalExtensionOIDs()).doesNotContain(BASIC_CONSTRAINTS);
    assertThat(weird.getBasicConstraints()).isZero();
    assertThat(CertificateExtensions.subjectKeyIdentifier(weird)).isNull();
    assertThat(CertificateExtensions.authorityKeyIdentifier(weird)).isNull();
    assertThat(weird.getSigAlgName()).isEqualTo("SHA1withRSA");
    assertThat(weird.getKeyUsage()).isNull();
  }
}
