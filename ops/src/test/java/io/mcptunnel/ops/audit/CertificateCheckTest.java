package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateCheckTest {
  static final TestPki PKI = TestPki.create("audit-ca");
  static final TestPki OTHER = TestPki.create("other-ca");
  static final Duration WARN = Duration.ofHours(720);

  static X509Certificate server(TestPki pki, Duration validity, String... names) {
    return CertificateIssuer.issueServer(pki.ca(), KeyPairs.ecP256().getPublic(), List.of(names), validity);
  }

  static final X509Certificate FRESH = server(PKI, Duration.ofDays(20), "*.t1.example");
  static final List<X509Certificate> CAS = List.of(PKI.ca().certificate());
  static final List<String> HOSTS = List.of("echo.t1.example");

  @Test
  void freshCertificateFromTheCaCoveringTheRoutesHasNoFinding() {
    // The CA of TestPki lives 30 days; audit the server certificate while both are valid.
    assertThat(CertificateCheck.findings("tls.crt", FRESH, CAS, HOSTS, Instant.now(), Duration.ofHours(24))).isEmpty();
  }

  @Test
  void lessThanTheWarningLeftIsMedium() {
    X509Certificate cert = server(PKI, Duration.ofDays(5), "*.t1.example");
    assertThat(CertificateCheck.findings("tls.crt", cert, CAS, HOSTS, Instant.now(), WARN)).singleElement()
        .satisfies(f -> {
          assertThat(f.check()).isEqualTo("cert-expiring");
          assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
          assertThat(f.evidence()).startsWith("4 days of validity left (not after ")
              .endsWith("), less than 720h: renew-cert should have run");
        });
  }

  @Test
  void expiredIsCriticalAndNothingElse() {
    Instant later = FRESH.getNotAfter().toInstant().plus(Duration.ofDays(3));
    assertThat(CertificateCheck.findings("tls.crt", FRESH, CAS, HOSTS, later, WARN)).singleElement()
        .satisfies(f -> {
          assertThat(f.check()).isEqualTo("cert-expired");
          assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
          assertThat(f.evidence()).startsWith("expired 3 days ago");
        });
  }

  @Test
  void aCertificateFromAnotherCaFailsTheRuleByName() {
    X509Certificate cert = server(OTHER, Duration.ofDays(20), "*.t1.example");
    assertThat(CertificateCheck.findings("tls.crt", cert, CAS, HOSTS, Instant.now(), Duration.ofHours(1)))
        .singleElement().satisfies(f -> {
          assertThat(f.check()).isEqualTo("cert-invalid");
          assertThat(f.severity()).isEqualTo(Severity.HIGH);
          assertThat(f.evidence()).isEqualTo(
              "fails the server-certificate rule: not signed by any registered CA (checked for echo.t1.example)");
        });
  }

  @Test
  void aCertificateNotCoveringARouteFailsTheHostRule() {
    X509Certificate cert = server(PKI, Duration.ofDays(20), "*.other.example");
    assertThat(CertificateCheck.findings("tls.crt", cert, CAS, HOSTS, Instant.now(), Duration.ofHours(1)))
        .singleElement().satisfies(f -> {
          assertThat(f.check()).isEqualTo("cert-invalid");
          assertThat(f.evidence()).startsWith("fails the server-certificate rule: ").endsWith("(checked for echo.t1.example)");
        });
  }
}
