package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class IssuedCertificateTest {

  @Test
  void toStringNamesTheCertificateButNeverTheKey() {
    IssuedCertificate ca = TestPki.CA;
    String secret = ((ECPrivateKey) ca.privateKey()).getS().toString();
    String secretHex = ((ECPrivateKey) ca.privateKey()).getS().toString(16);
    String encoded = Base64.getEncoder().encodeToString(ca.privateKey().getEncoded());

    String text = ca.toString();

    assertThat(text)
        .contains("CN=test CA", "<redacted EC key>")
        .doesNotContain(secret)
        .doesNotContain(secretHex)
        .doesNotContain(encoded.substring(0, 40))
        .doesNotContain(ca.privateKey().toString());
  }
}
