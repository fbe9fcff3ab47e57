package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mcptunnel.proxy.config.Upstream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The probe against a loopback HTTP server that answers the way each kind of upstream does. */
class OAuthProbeIT {
  static final String HOST = "echo.t1.example";
  static final String META = "https://" + HOST + "/.well-known/oauth-protected-resource/mcp";

  HttpServer server;
  final Map<String, String> hostSeen = new ConcurrentHashMap<>();

  record Answer(int status, Map<String, String> headers, String body) {}

  UpstreamHttp start(Function<String, Answer> byPath) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      hostSeen.put(ex.getRequestURI().getPath(), ex.getRequestHeaders().getFirst("Host"));
      ex.getRequestBody().readAllBytes();
      Answer a = byPath.apply(ex.getRequestURI().getPath());
      a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    Upstream up = new Upstream("http", "127.0.0.1", server.getAddress().getPort());
    return new UpstreamHttp(up, InetAddress.getLoopbackAddress(), null, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  static Answer oauth(String path, String resource) {
    return path.equals("/mcp")
        ? new Answer(401, Map.of("WWW-Authenticate", "Bearer resource_metadata=\"" + META + "\""), "")
        : path.equals("/.well-known/oauth-protected-resource/mcp")
            ? new Answer(200, Map.of("Content-Type", "application/json"),
                "{\"resource\":\"" + resource + "\",\"authorization_servers\":[\"https://as.example\"]}")
            : new Answer(404, Map.of(), "");
  }

  @Test
  void anOAuthUpstreamIsReachedWithThePublicHostAndItsMetadataRead() throws Exception {
    UpstreamHttp http = start(p -> oauth(p, "https://" + HOST + "/mcp"));
    OAuthProbeResult r = OAuthProbe.run(http, HOST, "/mcp");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.metadataUrl()).isEqualTo(META);
    assertThat(r.resource()).isEqualTo("https://" + HOST + "/mcp");
    assertThat(OAuthCheck.findings("echo", r, "https://" + HOST + "/mcp")).isEmpty();
    assertThat(hostSeen).containsEntry("/mcp", HOST).containsEntry("/.well-known/oauth-protected-resource/mcp", HOST);
  }

  @Test
  void aResourceNamingTheInternalAddressIsAMismatch() throws Exception {
    UpstreamHttp http = start(p -> oauth(p, "http://127.0.0.1:9000/mcp"));
    List<Finding> found = OAuthCheck.findings("echo", OAuthProbe.run(http, HOST, "/mcp"), "https://" + HOST + "/mcp");
    assertThat(found).extracting(Finding::check).containsExactly("oauth-resource-mismatch");
  }

  @Test
  void anOpenUpstreamIsHigh() throws Exception {
    UpstreamHttp http = start(p -> new Answer(200, Map.of("Content-Type", "application/json"), "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"));
    OAuthProbeResult r = OAuthProbe.run(http, HOST, "/mcp");
    assertThat(r.describe()).isEqualTo("200 without WWW-Authenticate");
    assertThat(OAuthCheck.findings("echo", r, "https://" + HOST + "/mcp")).extracting(Finding::check, Finding::severity)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("oauth-not-required", Severity.HIGH));
  }

  @Test
  void missingMetadataIsInvalid() throws Exception {
    UpstreamHttp http = start(p -> p.equals("/mcp") ? oauth(p, "") : new Answer(404, Map.of(), ""));
    OAuthProbeResult r = OAuthProbe.run(http, HOST, "/mcp");
    assertThat(r.metadataError()).isEqualTo("GET answered 404");
  }

  @Test
  void aClosedPortIsUnreachable() throws Exception {
    UpstreamHttp http = start(p -> new Answer(200, Map.of(), ""));
    server.stop(0);
    server = null;
    OAuthProbeResult r = OAuthProbe.run(http, HOST, "/mcp");
    assertThat(r.unreachable()).startsWith("ConnectException");
  }
}
