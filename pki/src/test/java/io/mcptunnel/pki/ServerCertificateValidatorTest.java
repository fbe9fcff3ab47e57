package io.mcptunnel.pki;

import static io.mcptunnel.pki.CertificateIssuer.Usage.DIGITAL_SIGNATURE;
import static io.mcptunnel.pki.CertificateIssuer.Usage.KEY_ENCIPHERMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.CertificateIssuer.Spec;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerCertificateValidatorTest {
  private static final Instant NOW = Instant.now();
  private static final String HOST = "echo.abc.example";
  private static final IssuedCertificate CA = TestPki.CA;
  private static final IssuedCertificate OTHER_CA =
      CertificateIssuer.createCa("other CA", Duration.ofDays(30), TestPki.EC_OTHER);
  // Same name as CA, different key: only the signature tells them apart.
  private static final IssuedCertificate IMPOSTOR_CA =
      CertificateIssuer.createCa("test CA", Duration.ofDays(30), TestPki.EC_OTHER);
  private static final IssuedCertificate RSA_CA =
      CertificateIssuer.createCa("rsa CA", Duration.ofDays(30), TestPki.RSA_2048_OTHER);
  private static final List<X509Certificate> REGISTERED = List.of(CA.certificate());

  /** A server certificate that passes every rule until a test changes one thing. */
  private static Spec server(KeyPair keys) {
    return Spec.forKey(keys.getPublic(), "abc.example")
        .validity(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(90)))
        .basicConstraints(false, false)
        .keyUsage(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT)
        .extendedKeyUsage(CertificateIssuer.SERVER_AUTH)
        .dnsNames(List.of("abc.example", "*.abc.example"));
  }

  private static X509Certificate signedByCa(Spec spec) {
    return spec.signedBy(CA.certificate(), CA.privateKey());
  }

  private static Arguments row(
      String name,
      Supplier<X509Certificate> server,
      List<X509Certificate> cas,
      String host,
      String expectedFailure) {
    return Arguments.of(name, server, cas, host, expectedFailure);
  }

  static Stream<Arguments> goodCertificates() {
    X509Certificate issued =
        CertificateIssuer.issueServer(
            CA,
            TestPki.RSA_2048.getPublic(),
            List.of("abc.example", "*.abc.example"),
            Duration.ofDays(90));
    return Stream.of(
        row("issueServer, wildcard", () -> issued, REGISTERED, HOST, null),
        row("issueServer, apex", () -> issued, REGISTERED, "abc.example", null),
        row("host in upper case", () -> issued, REGISTERED, "ECHO.ABC.EXAMPLE", null),
        row("host rule skipped", () -> issued, REGISTERED, null, null),
        row(
            "second registered CA",
            () -> issued,
            List.of(OTHER_CA.certificate(), CA.certificate()),
            HOST,
            null),
        row(
            "no extendedKeyUsage",
            () -> signedByCa(server(TestPki.RSA_2048).extendedKeyUsage()),
            REGISTERED,
            HOST,
            null),
        row(
            "anyExtendedKeyUsage",
            () -> signedByCa(server(TestPki.RSA_2048).extendedKeyUsage("2.5.29.37.0")),
            REGISTERED,
            HOST,
            null),
        row(
            "EC server key, RSA CA",
            () -> server(TestPki.EC_P384).signedBy(RSA_CA.certificate(), RSA_CA.privateKey()),
            List.of(RSA_CA.certificate()),
            HOST,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodCertificates")
  void acceptsAGoodServerCertificate(
      String name,
      Supplier<X509Certificate> server,
      List<X509Certificate> cas,
      String host,
      String ignored) {
    X509Certificate cert = server.get();

    ValidationResult result = ServerCertificateValidator.validate(cert, cas, host, NOW);

    assertThat(result.failure()).isNull();
    assertThat(result.valid()).isTrue();
    assertThat(result.certificate()).contains(cert);
  }

  static Stream<Arguments> brokenRules() {
    X509Certificate issued =
        CertificateIssuer.issueServer(
            CA,
            TestPki.RSA_2048.getPublic(),
            List.of("abc.example", "*.abc.example"),
            Duration.ofDays(90));
    return Stream.of(
        row("no registered CA", () -> issued, List.of(), HOST, "not signed by any registered CA"),
        row(
            "signed by an unregistered CA",
            () -> server(TestPki.RSA_2048).signedBy(OTHER_CA.certificate(), OTHER_CA.privateKey()),
            REGISTERED,
            HOST,
            "not signed by any registered CA"),
        row(
            "signed by a CA with the registered CA's name",
            () ->
                server(TestPki.RSA_2048)
                    .signedBy(IMPOSTOR_CA.certificate(), IMPOSTOR_CA.privateKey()),
            REGISTERED,
            HOST,
            "not signed by any registered CA"),
        row(
            "signed by the CA key under another issuer name",
            () -> server(TestPki.RSA_2048).signedBy(OTHER_CA.certificate(), CA.privateKey()),
            REGISTERED,
            HOST,
            "not signed by any registered CA"),
        row(
            "self-signed",
            () -> server(TestPki.RSA_2048).selfSigned(TestPki.RSA_2048.getPrivate()),
            REGISTERED,
            HOST,
            "not signed by any registered CA"),
        row(
            "no authorityKeyIdentifier",
            () -> signedByCa(server(TestPki.RSA_2048).authorityKeyIdentifier(null)),
            REGISTERED,
            HOST,
            "authorityKeyIdentifier extension is required"),
        row(
            "authorityKeyIdentifier of another key",
            () -> signedByCa(server(TestPki.RSA_2048).authorityKeyIdentifier(new byte[20])),
            REGISTERED,
            HOST,
            "authorityKeyIdentifier does not match the CA's subjectKeyIdentifier"),
        row(
            "other domain",
            () -> issued,
            REGISTERED,
            "echo.other.example",
            "SAN does not cover echo.other.example"),
        row(
            "two labels below the wildcard",
            () -> issued,
            REGISTERED,
            "a.b.abc.example",
            "SAN does not cover a.b.abc.example"),
        row(
            "no SAN",
            () -> signedByCa(server(TestPki.RSA_2048).dnsNames(List.of())),
            REGISTERED,
            "abc.example",
            "SAN does not cover abc.example"),
        row(
            "clientAuth only",
            () ->
                signedByCa(
                    server(TestPki.RSA_2048).extendedKeyUsage(CertificateIssuer.CLIENT_AUTH)),
            REGISTERED,
            HOST,
            "extendedKeyUsage lacks serverAuth"),
        row(
            "not yet valid",
            () ->
                signedByCa(
                    server(TestPki.RSA_2048).validity(NOW.plusSeconds(60), NOW.plusSeconds(7200))),
            REGISTERED,
            HOST,
            "certificate is not yet valid (notBefore "),
        row(
            "expired",
            () ->
                signedByCa(
                    server(TestPki.RSA_2048)
                        .validity(NOW.minusSeconds(7200), NOW.minusSeconds(60))),
            REGISTERED,
            HOST,
            "certificate has expired (notAfter "),
        row(
            "RSA 1024 server key",
            () -> signedByCa(server(TestPki.RSA_1024)),
            REGISTERED,
            HOST,
            "key too weak: RSA keys must be at least 2048 bits"),
        row(
            "EC P-224 server key",
            () -> signedByCa(server(TestPki.EC_P224)),
            REGISTERED,
            HOST,
            "key too weak: EC keys must use P-256 or stronger"),
        row(
            "SHA1withECDSA",
            () -> signedByCa(server(TestPki.RSA_2048).signatureAlgorithm("SHA1withECDSA")),
            REGISTERED,
            HOST,
            "signature algorithm SHA1withECDSA is too weak (SHA-256 or stronger required)"),
        row(
            "SHA1withRSA from an RSA CA",
            () ->
                server(TestPki.RSA_2048)
                    .signatureAlgorithm("SHA1withRSA")
                    .signedBy(RSA_CA.certificate(), RSA_CA.privateKey()),
            List.of(RSA_CA.certificate()),
            HOST,
            "signature algorithm SHA1withRSA is too weak (SHA-256 or stronger required)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRules")
  void namesTheFirstBrokenRule(
      String name,
      Supplier<X509Certificate> server,
      List<X509Certificate> cas,
      String host,
      String expectedFailure) {
    ValidationResult result = ServerCertificateValidator.validate(server.get(), cas, host, NOW);

    assertThat(result.valid()).isFalse();
    assertThat(result.failure()).startsWith(expectedFailure);
  }
}
