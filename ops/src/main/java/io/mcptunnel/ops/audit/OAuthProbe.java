package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.proxy.config.Upstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends an unauthenticated MCP {@code initialize} to one upstream (at an address the egress policy
 * allows, with the public Host header, as the proxy would) and, when challenged, fetches the
 * protected-resource metadata through the same upstream.
 */
final class OAuthProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String INITIALIZE = """
      {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
      "capabilities":{},"clientInfo":{"name":"mcptunnel-audit","version":"1"}}}""";

  private OAuthProbe() {}

  static OAuthProbeResult run(UpstreamHttp http, String publicHost, String path) {
    UpstreamHttp.Response r;
    try {
      r = http.exchange("POST", path, publicHost, Map.of(
              "Content-Type", "application/json",
              "Accept", "application/json, text/event-stream",
              "X-Forwarded-Proto", "https",
              "X-Forwarded-Host", publicHost),
          INITIALIZE.getBytes(StandardCharsets.UTF_8), false);
    } catch (IOException | RuntimeException e) {
      return OAuthProbeResult.unreachable(reason(e));
    }
    OAuthProbeResult answered = OAuthProbeResult.answered(r.status(), r.header("WWW-Authenticate"));
    if (r.status() != 401) {
      return answered;
    }
    Optional<String> metadata = OAuthCheck.resourceMetadata(r.header("WWW-Authenticate"));
    if (metadata.isEmpty()) {
      return answered;
    }
    String url = metadata.get();
    try {
      return answered.withMetadata(url, null, fetchResource(http, publicHost, url));
    } catch (MetadataException e) {
      return answered.withMetadata(url, e.getMessage(), null);
    }
  }

  /** The metadata URL names the public host; reach it through the upstream with that Host. */
  private static String fetchResource(UpstreamHttp http, String publicHost, String url) throws MetadataException {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new MetadataException("not a URL");
    }
    if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
      throw new MetadataException("not an https URL");
    }
    if (!u.getHost().toLowerCase(Locale.ROOT).equals(publicHost)) {
      throw new MetadataException("names host " + u.getHost() + ", not the route's public host " + publicHost);
    }
    String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    UpstreamHttp.Response r;
    try {
      r = http.exchange("GET", path, publicHost, Map.of("Accept", "application/json",
          "X-Forwarded-Proto", "https", "X-Forwarded-Host", publicHost), null, true);
    } catch (IOException | RuntimeException e) {
      throw new MetadataException("unreachable: " + reason(e));
    }
    if (r.status() != 200) {
      throw new MetadataException("GET answered " + r.status());
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new MetadataException("not JSON");
    }
    if (doc == null || !doc.path("resource").isTextual()) {
      throw new MetadataException("no \"resource\" string");
    }
    return doc.get("resource").asText();
  }

  static String reason(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static final class MetadataException extends Exception {
    MetadataException(String message) {
      super(message);
    }
  }

  /** The UpstreamHttp for a validated address; a tiny factory so the auditor reads plainly. */
  static UpstreamHttp connectTo(Upstream upstream, InetAddress address, javax.net.ssl.SSLContext tls,
      java.time.Duration timeout) {
    return new UpstreamHttp(upstream, address, upstream.tls() ? tls : null, timeout);
  }
}
