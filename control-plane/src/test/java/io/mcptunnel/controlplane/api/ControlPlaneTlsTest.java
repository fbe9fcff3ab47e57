package io.mcptunnel.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.controlplane.federation.InMemoryAuthenticationHistory;
import io.mcptunnel.controlplane.federation.InMemoryFederationDirectory;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import io.mcptunnel.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API listener with {@code tls.cert_file}/{@code tls.key_file}: HTTPS with the host name checked. */
class ControlPlaneTlsTest {
  @TempDir Path dir;

  ControlPlaneServer server(ControlPlaneConfig.TlsFiles tls) {
    return new ControlPlaneServer(new ControlPlaneConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        dir.resolve("data"), null, null, ApiFixture.ZONE, 10, tls), new InMemoryFederationDirectory(),
        new InMemoryAuthenticationHistory(10), IssuerUrlPolicy.PRODUCTION, Clock.systemUTC());
  }

  @Test
  void servesHttpsWithTheConfiguredCertificate() throws Exception {
    TestPki pki = TestPki.create("api CA");
    TestPki.write(pki.server("localhost"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
    try (ControlPlaneServer server = server(new ControlPlaneConfig.TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key")))) {
      int port = server.start().getPort();
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", pki.ca().certificate());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpResponse<String> r = HttpClient.newBuilder().sslContext(ssl).build().send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/healthz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      HttpResponse<String> noAuth = HttpClient.newBuilder().sslContext(ssl).build().send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/tunnels")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(noAuth.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aKeyThatDoesNotMatchIsAStartFailure() {
    TestPki pki = TestPki.create("api CA");
    TestPki.write(pki.server("localhost"), dir.resolve("tls.crt"), dir.resolve("ignored.key"));
    TestPki.write(pki.server("localhost"), dir.resolve("other.crt"), dir.resolve("tls.key"));
    try (ControlPlaneServer server = server(new ControlPlaneConfig.TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key")))) {
      assertThatThrownBy(server::start).isInstanceOf(ControlPlaneStartException.class)
          .hasMessageContaining("does not match");
    }
  }
}
