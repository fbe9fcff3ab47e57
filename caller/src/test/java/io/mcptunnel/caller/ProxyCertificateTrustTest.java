package io.mcptunnel.caller;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.testing.TestPki;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** A certificate of a CA the caller does not know (yet) is told apart from other refusals: that one is retried. */
class ProxyCertificateTrustTest {
  static final TestPki OLD = TestPki.create("old tunnel CA");
  static final TestPki NEW = TestPki.create("new tunnel CA");

  static SSLEngine engine(String host) throws Exception {
    return SSLContext.getDefault().createSSLEngine(host, 443);
  }

  static X509Certificate[] chain(TestPki pki) {
    return new X509Certificate[] {pki.server("t.example", "*.t.example").certificate()};
  }

  @Test
  void aCertificateOfAnUnknownCaIsAnUnknownIssuer() {
    ProxyCertificateTrust trust = new ProxyCertificateTrust(List.of(OLD.ca().certificate()));
    assertThatThrownBy(() -> trust.checkServerTrusted(chain(NEW), "ECDHE_RSA", engine("mcp.t.example")))
        .isInstanceOf(ProxyCertificateTrust.UnknownIssuer.class)
        .hasMessage("proxy certificate refused: not signed by any registered CA");
  }

  @Test
  void otherRefusalsAreNot() throws Exception {
    ProxyCertificateTrust trust = new ProxyCertificateTrust(List.of(OLD.ca().certificate(), NEW.ca().certificate()));
    assertThatCode(() -> trust.checkServerTrusted(chain(NEW), "ECDHE_RSA", engine("mcp.t.example")))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> trust.checkServerTrusted(chain(NEW), "ECDHE_RSA", engine("mcp.elsewhere.example")))
        .isInstanceOf(CertificateException.class)
        .isNotInstanceOf(ProxyCertificateTrust.UnknownIssuer.class);
  }
}
