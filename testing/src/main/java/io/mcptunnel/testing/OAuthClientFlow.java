package io.mcptunnel.testing;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an MCP client does against an OAuth-protected server (MCP authorization 2025-11-25), step by
 * step with plain HTTP so tests can assert each answer: POST initialize, read
 * {@code resource_metadata} from the 401 challenge, GET the protected-resource metadata, GET the
 * first authorization server's RFC 8414 metadata, then ask its token endpoint for a
 * {@code client_credentials} token bound to the metadata's {@code resource} (RFC 8707).
 */
public final class OAuthClientFlow {
  public static final String INITIALIZE = """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",\
      "capabilities":{},"clientInfo":{"name":"oauth-flow-test","version":"1"}}}""";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Everything learnt on the way to a token. */
  public record Discovery(HttpResponse<String> firstAnswer, URI metadataUrl, String metadataBody,
      Map<String, Object> resourceMetadata, Map<String, Object> authorizationServerMetadata) {
    public String resource() {
      return (String) resourceMetadata.get("resource");
    }

    public URI tokenEndpoint() {
      return URI.create((String) authorizationServerMetadata.get("token_endpoint"));
    }
  }

  /** POSTs an MCP initialize request, with {@code Authorization: Bearer <token>} unless token is null. */
  public HttpResponse<String> initialize(URI mcpUrl, String token) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(mcpUrl).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(URI url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Steps 1 to 4. {@code metadataOrigin}, when not null, replaces the scheme and authority of the
   * advertised metadata URL: how a test reaches a public (tunnel) URL that only exists on loopback.
   */
  public Discovery discover(URI mcpUrl, URI metadataOrigin) throws IOException, InterruptedException {
    HttpResponse<String> first = initialize(mcpUrl, null);
    String challenge = first.headers().firstValue("WWW-Authenticate")
        .orElseThrow(() -> new IllegalStateException("no WWW-Authenticate in the " + first.statusCode() + " answer"));
    URI metadataUrl = URI.create(param(challenge, "resource_metadata"));
    URI fetchFrom = metadataOrigin == null ? metadataUrl : metadataOrigin.resolve(metadataUrl.getRawPath());
    HttpResponse<String> md = get(fetchFrom);
    Map<String, Object> resourceMetadata = json(md.body());
    @SuppressWarnings("unchecked")
    String as = ((List<String>) resourceMetadata.get("authorization_servers")).get(0);
    Map<String, Object> asMetadata = json(get(URI.create(as + "/.well-known/oauth-authorization-server")).body());
    return new Discovery(first, metadataUrl, md.body(), resourceMetadata, asMetadata);
  }

  /** Step 5: a client_credentials token for {@code resource} (omitted when null) and {@code scope} (ditto). */
  public HttpResponse<String> requestToken(URI tokenEndpoint, String clientId, String secret, String resource,
      String scope) throws IOException, InterruptedException {
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    if (resource != null) {
      form.append("&resource=").append(URLEncoder.encode(resource, StandardCharsets.UTF_8));
    }
    if (scope != null) {
      form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }
    String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
    return http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The whole flow: the access token for the resource the server advertises. */
  public String accessToken(Discovery d, String clientId, String secret, String scope)
      throws IOException, InterruptedException {
    HttpResponse<String> answer = requestToken(d.tokenEndpoint(), clientId, secret, d.resource(), scope);
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("token endpoint answered " + answer.statusCode() + ": " + answer.body());
    }
    return (String) json(answer.body()).get("access_token");
  }

  /** A quoted auth-param of a challenge, e.g. {@code resource_metadata}; null when absent. */
  public static String param(String challenge, String name) {
    Matcher m = Pattern.compile("(?:^|[ ,])" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(challenge);
    return m.find() ? m.group(1) : null;
  }

  public static Map<String, Object> json(String body) {
    try {
      return JSONObjectUtils.parse(body);
    } catch (ParseException e) {
      throw new IllegalStateException("not a JSON object: " + body, e);
    }
  }
}
