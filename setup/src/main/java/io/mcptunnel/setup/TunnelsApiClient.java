package io.mcptunnel.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The few Tunnels API calls setup makes (SPEC §4.1, docs/api.md), over the JDK HTTP client. Every
 * call sends the compatible {@code anthropic-version} / {@code anthropic-beta} headers; a refusal
 * becomes an {@link ApiException} carrying the API's status and message.
 */
public final class TunnelsApiClient {
  public static final String ANTHROPIC_VERSION = "2023-06-01";
  public static final String ANTHROPIC_BETA = "mcp-tunnels-2026-06-22";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code tnl_…} with its domain. */
  public record Tunnel(String id, String domain, boolean archived) {}

  /** A token value; {@link #toString()} never shows it. */
  public record TunnelToken(String id, String value) {
    @Override
    public String toString() {
      return "TunnelToken[id=" + id + ", value=<redacted>]";
    }
  }

  /** A registered CA ({@code tcrt_…}). */
  public record TunnelCertificate(String id, String fingerprint, boolean archived) {}

  private final ApiEndpoint endpoint;
  private final HttpClient http;
  private final String accessToken;

  private TunnelsApiClient(ApiEndpoint endpoint, HttpClient http, String accessToken) {
    this.endpoint = endpoint;
    this.http = http;
    this.accessToken = accessToken;
  }

  /** Exchanges the workload's identity token (RFC 7523 jwt-bearer) and returns a client. */
  public static TunnelsApiClient connect(ApiEndpoint endpoint, FederationCredentials credentials) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    var ssl = endpoint.sslContext();
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    HttpClient http = builder.build();
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
    form.put("assertion", credentials.identityToken());
    form.put("federation_rule_id", credentials.federationRuleId());
    form.put("organization_id", credentials.organizationId());
    if (credentials.workspaceId() != null) {
      form.put("workspace_id", credentials.workspaceId());
    }
    String body = form.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest request = base(endpoint, "/v1/oauth/token")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    JsonNode token = send(http, request, "POST /v1/oauth/token");
    return new TunnelsApiClient(endpoint, http, token.path("access_token").asText());
  }

  public Tunnel createTunnel(String displayName) {
    ObjectNode body = JSON.createObjectNode();
    if (displayName != null) {
      body.put("display_name", displayName);
    }
    return tunnel(call("POST", "/v1/tunnels", body));
  }

  public Tunnel getTunnel(String id) {
    return tunnel(call("GET", "/v1/tunnels/" + encode(id), null));
  }

  /**
   * Archives the tunnel: its token stops working and edges sever its connections. The API answers
   * a repeat with the record of the first archive, so this is safe to call again.
   */
  public Tunnel archiveTunnel(String id) {
    return tunnel(call("POST", "/v1/tunnels/" + encode(id) + "/archive", null));
  }

  public TunnelToken revealToken(String tunnelId) {
    return token(call("POST", "/v1/tunnels/" + encode(tunnelId) + "/reveal_token", null));
  }

  public TunnelToken rotateToken(String tunnelId, String reason) {
    return rotateToken(tunnelId, reason, false);
  }

  /**
   * With {@code severExisting} every edge also drops the tunnel's live connections admitted with
   * an older token ("rotate and kill"). Sent only when true: a control plane that does not know
   * the field refuses it (400) rather than rotating without severing.
   */
  public TunnelToken rotateToken(String tunnelId, String reason, boolean severExisting) {
    ObjectNode body = JSON.createObjectNode().put("reason", reason);
    if (severExisting) {
      body.put("sever_existing", true);
    }
    return token(call("POST", "/v1/tunnels/" + encode(tunnelId) + "/rotate_token", body));
  }

  public TunnelCertificate registerCa(String tunnelId, String caCertificatePem) {
    ObjectNode body = JSON.createObjectNode().put("ca_certificate_pem", caCertificatePem);
    return certificate(call("POST", "/v1/tunnels/" + encode(tunnelId) + "/certificates", body));
  }

  /** Every certificate of the tunnel, archived ones included (the list is never paged). */
  public List<TunnelCertificate> listCertificates(String tunnelId) {
    List<TunnelCertificate> out = new ArrayList<>();
    call("GET", "/v1/tunnels/" + encode(tunnelId) + "/certificates", null)
        .path("data").forEach(n -> out.add(certificate(n)));
    return out;
  }

  public TunnelCertificate archiveCertificate(String tunnelId, String certificateId) {
    return certificate(call("POST", "/v1/tunnels/" + encode(tunnelId) + "/certificates/"
        + encode(certificateId) + "/archive", null));
  }

  private JsonNode call(String method, String path, JsonNode body) {
    HttpRequest.Builder request = base(endpoint, path)
        .header("Authorization", "Bearer " + accessToken)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return send(http, request.build(), method + " " + path);
  }

  private static HttpRequest.Builder base(ApiEndpoint endpoint, String path) {
    return HttpRequest.newBuilder(endpoint.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("anthropic-version", ANTHROPIC_VERSION)
        .header("anthropic-beta", ANTHROPIC_BETA);
  }

  private static JsonNode send(HttpClient http, HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SetupException(what + ": cannot reach the API at " + request.uri().getScheme()
          + "://" + request.uri().getAuthority() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupException(what + ": interrupted", e);
    }
    JsonNode json = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      JsonNode error = json.path("error");
      String message = error.path("message").asText("");
      throw new ApiException(what, response.statusCode(), error.path("type").asText("error"),
          message.isEmpty() ? "(no error message)" : message.replaceAll("\\s+", " "));
    }
    return json;
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static Tunnel tunnel(JsonNode n) {
    return new Tunnel(n.path("id").asText(), n.path("domain").asText(), !n.path("archived_at").isNull()
        && !n.path("archived_at").isMissingNode());
  }

  private static TunnelToken token(JsonNode n) {
    return new TunnelToken(n.path("id").asText(), n.path("tunnel_token").asText());
  }

  private static TunnelCertificate certificate(JsonNode n) {
    return new TunnelCertificate(n.path("id").asText(), n.path("fingerprint").asText(),
        !n.path("archived_at").isNull() && !n.path("archived_at").isMissingNode());
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }
}
