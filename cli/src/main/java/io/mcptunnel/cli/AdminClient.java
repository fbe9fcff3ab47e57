package io.mcptunnel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.common.McptunnelException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The admin API over HTTP for {@code mcptunnel admin …}: {@code --url}, and the admin token from
 * {@code --token-file} or {@code MCPTUNNEL_ADMIN_TOKEN}, never from the command line. A refused call
 * is a one-line error with the server's message; the token never appears in output.
 */
public final class AdminClient {
  static final String TOKEN_ENV = "MCPTUNNEL_ADMIN_TOKEN";
  static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:7850",
      description = "Control-plane base URL (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the admin token (the control plane's <data_dir>/admin.token); "
          + "default: the " + TOKEN_ENV + " environment variable.")
  Path tokenFile;

  /** Sends {@code method path} with an optional JSON body; returns the 2xx body as text. */
  String call(String method, String path, JsonNode body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString().replaceAll("/+$", "") + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r;
    try {
      r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new McptunnelException("cannot reach the control plane at " + url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new McptunnelException("interrupted", e);
    }
    if (r.statusCode() / 100 != 2) {
      throw new McptunnelException("control plane answered " + r.statusCode() + ": " + message(r.body()));
    }
    return r.body();
  }

  private String token() {
    String token;
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile).trim();
      } catch (IOException e) {
        throw new McptunnelException("cannot read --token-file " + tokenFile + ": " + e.getMessage(), e);
      }
    } else {
      token = System.getenv(TOKEN_ENV);
    }
    if (token == null || token.isBlank()) {
      throw new McptunnelException("no admin token (expected: --token-file FILE or " + TOKEN_ENV + ")");
    }
    return token.trim();
  }

  private static String message(String body) {
    try {
      JsonNode error = JSON.readTree(body).path("error");
      return error.path("type").asText("error") + ": " + error.path("message").asText("");
    } catch (IOException | RuntimeException e) {
      return "(no error message)";
    }
  }
}
