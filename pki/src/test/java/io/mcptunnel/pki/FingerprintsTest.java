package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

  @Test
  void isLowercaseHexSha256OfDer() throws Exception {
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(TestPki.CA.certificate().getEncoded());
    StringBuilder expected = new StringBuilder();
    for (byte b : digest) {
      expected.append(String.format("%02x", b & 0xff));
    }

    String fingerprint = Fingerprints.sha256Hex(TestPki.CA.certificate());

    assertThat(fingerprint).isEqualTo(expected.toString()).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void differsBetweenCertificates() {
    IssuedCertificate other =
        CertificateIssuer.createCa("test CA", Duration.ofDays(1), TestPki.EC_CA);

    assertThat(Fingerprints.sha256Hex(other.certificate()))
        .isNotEqualTo(Fingerprints.sha256Hex(TestPki.CA.certificate()));
  }
}
