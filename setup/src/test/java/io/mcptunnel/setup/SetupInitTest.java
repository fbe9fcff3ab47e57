package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine behaviour a real control plane will not show on demand: a failure after the CA was registered. */
class SetupInitTest {
  @TempDir
  Path tmp;

  final List<String> calls = new CopyOnWriteArrayList<>();
  HttpServer server;

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void aNewCaThatCannotBeStoredGivesItsSlotBackAndTheNewTunnelIsRemembered() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      calls.add(call);
      int status = 200;
      String body = switch (call) {
        case "POST /v1/oauth/token" -> "{\"access_token\":\"at\"}";
        case "POST /v1/tunnels" -> "{\"id\":\"tnl_1\",\"domain\":\"abc.example\",\"archived_at\":null}";
        case "GET /v1/tunnels/tnl_1/certificates" -> "{\"data\":[],\"next_page\":null}";
        case "POST /v1/tunnels/tnl_1/certificates" -> "{\"id\":\"tcrt_1\",\"fingerprint\":\"ab\",\"archived_at\":null}";
        case "POST /v1/tunnels/tnl_1/certificates/tcrt_1/archive" ->
            "{\"id\":\"tcrt_1\",\"fingerprint\":\"ab\",\"archived_at\":\"2026-11-26T00:00:00Z\"}";
        default -> {
          status = 500;
          yield "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}";
        }
      };
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
    DirectoryOutput output = new DirectoryOutput(tmp.resolve("out"));
    List<String> lines = new ArrayList<>();
    var options = new SetupInit.Options(
        new ApiEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null),
        new FederationCredentials("fdrl_1", "org_1", null, "jwt"), output, null, null, null);

    assertThatThrownBy(() -> new SetupInit(Clock.systemUTC(), lines::add).run(options))
        .isInstanceOf(ApiException.class)
        .hasMessage("POST /v1/tunnels/tnl_1/reveal_token: 500 api_error: boom");

    assertThat(calls).containsExactly("POST /v1/oauth/token", "POST /v1/tunnels",
        "GET /v1/tunnels/tnl_1/certificates", "POST /v1/tunnels/tnl_1/certificates",
        "POST /v1/tunnels/tnl_1/reveal_token", "POST /v1/tunnels/tnl_1/certificates/tcrt_1/archive");
    assertThat(lines).last().isEqualTo("archived CA tcrt_1 again: it was registered but could not be stored");
    // Only the tunnel is remembered, so a retry reuses it rather than creating a second one.
    assertThat(output.read()).containsOnlyKeys(OutputKeys.TUNNEL_ID, OutputKeys.TUNNEL_DOMAIN)
        .containsEntry(OutputKeys.TUNNEL_ID, "tnl_1");
  }
}
