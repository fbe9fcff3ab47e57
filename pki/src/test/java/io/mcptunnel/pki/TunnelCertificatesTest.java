package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelCertificatesTest {
  private static final String DOMAIN = "abc12345.tunnels.example";
  private static final IssuedCertificate CA =
      TunnelCertificates.newCa("tunnel CA", KeyType.ECDSA_P256, Duration.ofDays(30));

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void everyKeyTypeMakesACaThatPassesEveryCaRule(KeyType type) {
    IssuedCertificate ca = TunnelCertificates.newCa("my CA", type, Duration.ofHours(48));
    X509Certificate cert = ca.certificate();

    assertThat(CaCertificateValidator.validatePem(PemFiles.toPem(cert), Instant.now()).valid())
        .isTrue();
    assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
    assertThat(cert.getBasicConstraints()).isZero();
    assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
    assertThat(CertificateExtensions.subjectKeyIdentifier(cert)).isNotEmpty();
    assertThat(cert.getSigAlgName()).startsWith("SHA256with");
    assertThat(ca.privateKey().getAlgorithm()).isEqualTo(type.isRsa() ? "RSA" : "EC");
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void everyKeyTypeMakesAServerCertificateThatPassesEveryServerRule(KeyType type)
      throws Exception {
    IssuedCertificate server =
        TunnelCertificates.newServerCertificate(CA, DOMAIN, List.of(), type, Duration.ofHours(1));
    X509Certificate cert = server.certificate();

    for (String host : List.of(DOMAIN, "mcp." + DOMAIN)) {
      assertThat(
              ServerCertificateValidator.validate(cert, List.of(CA.certificate()), host, Instant.now()))
          .hasToString("valid");
    }
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(entry -> (Object) entry.get(1))
        .containsExactly((Object) DOMAIN, "*." + DOMAIN);
    assertThat(CertificateExtensions.authorityKeyIdentifier(cert))
        .isEqualTo(CertificateExtensions.subjectKeyIdentifier(CA.certificate()));
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CertificateIssuer.SERVER_AUTH);
    // digitalSignature, and keyEncipherment for RSA only
    assertThat(cert.getKeyUsage()[0]).isTrue();
    assertThat(cert.getKeyUsage()[2]).isEqualTo(type.isRsa());
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getIssuerX500Principal()).isEqualTo(CA.certificate().getSubjectX500Principal());
    assertThat(PemFiles.keyMatchesCertificate(server.privateKey(), cert)).isTrue();
  }

  @Test
  void setupDefaultsAreAFiveYearP256CaAndANinetyDayRsa4096Server() {
    Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    IssuedCertificate ca =
        TunnelCertificates.newCa(
            "tunnel CA", TunnelCertificates.CA_KEY_TYPE, TunnelCertificates.CA_VALIDITY);
    IssuedCertificate server =
        TunnelCertificates.newServerCertificate(
            ca,
            DOMAIN,
            List.of(),
            TunnelCertificates.SERVER_KEY_TYPE,
            TunnelCertificates.SERVER_VALIDITY);

    assertThat(ca.certificate().getNotAfter().toInstant())
        .isBetween(before.plus(Duration.ofDays(1825)), Instant.now().plus(Duration.ofDays(1825)));
    assertThat(server.certificate().getNotAfter().toInstant())
        .isBetween(before.plus(Duration.ofDays(90)), Instant.now().plus(Duration.ofDays(90)));
    assertThat(((java.security.interfaces.RSAPublicKey) server.certificate().getPublicKey())
            .getModulus()
            .bitLength())
        .isEqualTo(4096);
    assertThat(ca.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void extraNamesFollowTheDomainLowerCasedWithoutDuplicates() {
    assertThat(
            TunnelCertificates.serverNames(
                "ABC12345.Tunnels.Example.", List.of("*.abc12345.tunnels.example", "Other.Example")))
        .containsExactly(DOMAIN, "*." + DOMAIN, "other.example");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "localhost", "*.abc.example", "a..example", "-a.example", "a_b.example",
      "abc.example/x", "abc.exa mple"})
  void domainsThatAreNotDnsNamesAreRefusedNamingTheField(String domain) {
    assertThatThrownBy(() -> TunnelCertificates.serverNames(domain, List.of()))
        .isInstanceOf(PkiException.class)
        .hasMessageStartingWith("domain: \"" + domain + "\" (expected: a DNS name");
  }

  @Test
  void badExtraNameIsRefusedNamingTheField() {
    assertThatThrownBy(() -> TunnelCertificates.serverNames(DOMAIN, List.of("*.*.x.example")))
        .hasMessageStartingWith("san: \"*.*.x.example\"");
  }

  @Test
  void aMismatchedCaKeyIsRefused() {
    IssuedCertificate wrong = new IssuedCertificate(CA.certificate(), TestPki.EC_OTHER.getPrivate());

    assertThatThrownBy(
            () ->
                TunnelCertificates.newServerCertificate(
                    wrong, DOMAIN, List.of(), KeyType.ECDSA_P256, Duration.ofHours(1)))
        .isInstanceOf(PkiException.class)
        .hasMessage("CA key does not match the CA certificate");
  }

  @Test
  void aCaThatBreaksARuleCannotSign() {
    var keys = TestPki.EC_OTHER;
    X509Certificate noSki =
        CertificateIssuer.Spec.forKey(keys.getPublic(), "no SKI")
            .basicConstraints(true, true)
            .keyUsage(CertificateIssuer.Usage.KEY_CERT_SIGN)
            .subjectKeyIdentifier(false)
            .selfSigned(keys.getPrivate());

    assertThatThrownBy(
            () ->
                TunnelCertificates.newServerCertificate(
                    new IssuedCertificate(noSki, keys.getPrivate()),
                    DOMAIN,
                    List.of(),
                    KeyType.ECDSA_P256,
                    Duration.ofHours(1)))
        .hasMessage("not a usable CA: subjectKeyIdentifier extension is required");
  }

  @Test
  void aServerCertificateMayNotOutliveItsCa() {
    assertThatThrownBy(
            () ->
                TunnelCertificates.newServerCertificate(
                    CA, DOMAIN, List.of(), KeyType.ECDSA_P256, Duration.ofDays(31)))
        .hasMessageStartingWith("duration: 744h0m0s would outlive the CA");
  }

  @Test
  void nonPositiveDurationsAreRefused() {
    assertThatThrownBy(() -> TunnelCertificates.newCa("x", KeyType.ECDSA_P256, Duration.ZERO))
        .hasMessageStartingWith("duration: ");
    assertThatThrownBy(() -> TunnelCertificates.newCa(" ", KeyType.ECDSA_P256, Duration.ofHours(1)))
        .hasMessage("common name: must not be empty");
  }

  @Test
  void writeUsesOwnerOnlyKeysAndRefusesToOverwrite() throws Exception {
    Path cert = dir.resolve("out/ca.crt");
    Path key = dir.resolve("out/ca.key");
    TunnelCertificates.write(CA, cert, key, false);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)))
        .isEqualTo("rw-r--r--");
    IssuedCertificate loaded = TunnelCertificates.loadCa(cert, key);
    assertThat(loaded.certificate()).isEqualTo(CA.certificate());

    String before = Files.readString(key);
    assertThatThrownBy(() -> TunnelCertificates.write(CA, cert, dir.resolve("new.key"), false))
        .hasMessage(cert + ": already exists, refusing to overwrite it");
    assertThat(dir.resolve("new.key")).doesNotExist();
    assertThat(Files.readString(key)).isEqualTo(before);

    IssuedCertificate other =
        TunnelCertificates.newCa("other", KeyType.ECDSA_P256, Duration.ofDays(1));
    TunnelCertificates.write(other, cert, key, true);
    assertThat(TunnelCertificates.loadCa(cert, key).certificate()).isEqualTo(other.certificate());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void loadCaRefusesAKeyOfAnotherCa() throws Exception {
    Path cert = dir.resolve("ca.crt");
    Path key = dir.resolve("ca.key");
    TunnelCertificates.write(CA, cert, key, false);
    Files.writeString(key, PemFiles.toPem(TestPki.EC_OTHER.getPrivate()));

    assertThatThrownBy(() -> TunnelCertificates.loadCa(cert, key))
        .hasMessage(key + ": CA key does not match the CA certificate " + cert);
  }
}
