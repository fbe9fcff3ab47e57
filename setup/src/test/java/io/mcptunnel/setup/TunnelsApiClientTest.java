package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wire shape of the client: form-encoded exchange, compatible headers, error envelope. */
class TunnelsApiClientTest {
  static final FederationCredentials CREDENTIALS =
      new FederationCredentials("fdrl_1", "org_1", "ws_1", "eyJ.jwt+/=");

  @TempDir
  Path tmp;

  final List<String> seen = new CopyOnWriteArrayList<>();
  HttpServer server;

  @AfterEach
  void stop() {
    server.stop(0);
  }

  void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
        + exchange.getRequestHeaders().getFirst("anthropic-version") + " "
        + exchange.getRequestHeaders().getFirst("anthropic-beta") + " "
        + exchange.getRequestHeaders().getFirst("Content-Type") + " "
        + exchange.getRequestHeaders().getFirst("Authorization") + " " + body);
    String path = exchange.getRequestURI().getPath();
    int status = 200;
    String answer;
    if (path.equals("/v1/oauth/token")) {
      answer = "{\"access_token\":\"at_1\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
    } else if (path.equals("/v1/tunnels")) {
      answer = "{\"id\":\"tnl_1\",\"type\":\"tunnel\",\"domain\":\"abc.example\",\"archived_at\":null}";
    } else if (path.equals("/v1/tunnels/tnl_1/archive")) {
      answer = "{\"id\":\"tnl_1\",\"type\":\"tunnel\",\"domain\":\"abc.example\","
          + "\"archived_at\":\"2026-11-26T20:00:00Z\"}";
    } else {
      status = 409;
      answer = "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"both\\ncertificate slots are taken\"}}";
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void sendsTheCompatibleHeadersOnEveryCallAndReportsTheErrorEnvelope() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    ApiEndpoint endpoint = new ApiEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), null);

    TunnelsApiClient api = TunnelsApiClient.connect(endpoint, CREDENTIALS);
    assertThat(api.createTunnel(null)).isEqualTo(new TunnelsApiClient.Tunnel("tnl_1", "abc.example", false));
    assertThatThrownBy(() -> api.registerCa("tnl_1", "pem"))
        .isInstanceOf(ApiException.class)
        .hasMessage("POST /v1/tunnels/tnl_1/certificates: 409 invalid_request_error: both certificate slots are taken")
        .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(409));

    assertThat(seen).containsExactly(
        "POST /v1/oauth/token 2023-06-01 mcp-tunnels-2026-06-22 application/x-www-form-urlencoded null "
            + "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ.jwt%2B%2F%3D"
            + "&federation_rule_id=fdrl_1&organization_id=org_1&workspace_id=ws_1",
        "POST /v1/tunnels 2023-06-01 mcp-tunnels-2026-06-22 application/json Bearer at_1 {}",
        "POST /v1/tunnels/tnl_1/certificates 2023-06-01 mcp-tunnels-2026-06-22 application/json Bearer at_1 "
            + "{\"ca_certificate_pem\":\"pem\"}");
  }

  @Test
  void archiveTunnelPostsToTheArchivePathAndReadsArchivedAt() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    ApiEndpoint endpoint = new ApiEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null);

    TunnelsApiClient api = TunnelsApiClient.connect(endpoint, CREDENTIALS);

    assertThat(api.archiveTunnel("tnl_1")).isEqualTo(new TunnelsApiClient.Tunnel("tnl_1", "abc.example", true));
    assertThat(seen).last().asString().startsWith("POST /v1/tunnels/tnl_1/archive 2023-06-01 mcp-tunnels-2026-06-22 null Bearer at_1");
  }

  @Test
  void httpsWithTheApiCaFile() throws Exception {
    IssuedCertificate ca = CertificateIssuer.createCa("test API CA", Duration.ofDays(1), KeyPairs.ecP256());
    var keys = KeyPairs.ecP256();
    var cert = CertificateIssuer.issueServer(ca, keys.getPublic(), List.of("localhost"), Duration.ofDays(1));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", keys.getPrivate(), new char[0], new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    https.createContext("/", this::handle);
    https.start();
    server = https;
    URI url = URI.create("https://localhost:" + https.getAddress().getPort());
    Path caFile = Files.writeString(tmp.resolve("api-ca.pem"), PemFiles.toPem(ca.certificate()));

    assertThat(TunnelsApiClient.connect(new ApiEndpoint(url, caFile), CREDENTIALS).createTunnel("x").id())
        .isEqualTo("tnl_1");
    assertThatThrownBy(() -> TunnelsApiClient.connect(new ApiEndpoint(url, null), CREDENTIALS))
        .isInstanceOf(SetupException.class)
        .hasMessageStartingWith("POST /v1/oauth/token: cannot reach the API at https://localhost:");
  }
}
