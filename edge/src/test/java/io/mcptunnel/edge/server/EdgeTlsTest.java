package io.mcptunnel.edge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.PkiException;
import io.mcptunnel.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's TLS files, the caller CA bundle ({@code caller_tls.client_ca_file}) in particular. */
class EdgeTlsTest {
  @TempDir Path dir;
  final TestPki callerPki = TestPki.create("caller-ca");
  final TestPki otherPki = TestPki.create("other-caller-ca");
  Path cert;
  Path key;

  @BeforeEach
  void edgePair() {
    cert = dir.resolve("edge.crt");
    key = dir.resolve("edge.key");
    TestPki.write(TestPki.create("edge-ca").server("edge.test"), cert, key);
  }

  @Test
  void withoutCallerCasNoClientCertificateIsRequested() {
    EdgeTls tls = EdgeTls.load(cert, key);
    assertThat(tls.requestsClientCertificates()).isFalse();
    assertThat(tls.callerContext()).isNotNull();
  }

  @Test
  void everyCaInTheBundleIsLoaded() throws Exception {
    Path bundle = Files.writeString(dir.resolve("callers.pem"),
        PemFiles.toPem(callerPki.ca().certificate()) + PemFiles.toPem(otherPki.ca().certificate()));
    EdgeTls tls = EdgeTls.load(cert, key, Optional.of(bundle));
    assertThat(tls.requestsClientCertificates()).isTrue();
    assertThat(tls.callerCas()).containsExactly(callerPki.ca().certificate(), otherPki.ca().certificate());
    assertThat(tls.callerContext()).isNotNull();
  }

  @Test
  void aMissingBundleIsNamedWithItsField() {
    Path missing = dir.resolve("absent.pem");
    assertThatThrownBy(() -> EdgeTls.load(cert, key, Optional.of(missing))).isInstanceOf(PkiException.class)
        .hasMessage("caller_tls.client_ca_file: open " + missing + ": no such file or directory");
  }

  @Test
  void aBundleWithoutCertificatesIsRefused() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "not PEM at all\n");
    assertThatThrownBy(() -> EdgeTls.load(cert, key, Optional.of(empty)))
        .hasMessage("caller_tls.client_ca_file: " + empty + ": no CERTIFICATE block found in PEM");
  }

  @Test
  void aLeafCertificateInTheBundleIsRefusedBecauseItWouldVouchForItself() throws Exception {
    Path bundle = Files.writeString(dir.resolve("callers.pem"),
        PemFiles.toPem(callerPki.ca().certificate()) + PemFiles.toPem(callerPki.client("backend").certificate()));
    assertThatThrownBy(() -> EdgeTls.load(cert, key, Optional.of(bundle)))
        .hasMessage("caller_tls.client_ca_file: certificate 2 in " + bundle
            + " (CN=backend) is not a CA certificate (expected basicConstraints CA:TRUE)");
  }
}
