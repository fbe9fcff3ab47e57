package io.mcptunnel.ops.audit;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a route's upstream demands OAuth the way the MCP authorization spec says: 401 to an
 * unauthenticated request, {@code WWW-Authenticate: Bearer resource_metadata="…"}, and metadata
 * whose {@code resource} is the route's public URL (so tokens minted for it are accepted there and
 * nowhere else).
 */
final class OAuthCheck {
  static final String NOT_REQUIRED = "oauth-not-required";
  static final String NO_METADATA = "oauth-no-resource-metadata";
  static final String METADATA_INVALID = "oauth-metadata-invalid";
  static final String RESOURCE_MISMATCH = "oauth-resource-mismatch";
  static final String UNREACHABLE = "upstream-unreachable";
  static final String REFUSED = "upstream-refused-by-egress";

  private static final Pattern BEARER = Pattern.compile("^\\s*Bearer\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern RESOURCE_METADATA =
      Pattern.compile("resource_metadata\\s*=\\s*(?:\"([^\"]*)\"|([^\\s,]+))", Pattern.CASE_INSENSITIVE);

  private OAuthCheck() {}

  /** The {@code resource_metadata} URL of a Bearer challenge, if there is one. */
  static Optional<String> resourceMetadata(String wwwAuthenticate) {
    if (wwwAuthenticate == null || !BEARER.matcher(wwwAuthenticate).find()) {
      return Optional.empty();
    }
    Matcher m = RESOURCE_METADATA.matcher(wwwAuthenticate);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
  }

  static List<Finding> findings(String route, OAuthProbeResult r, String expectedResource) {
    String subject = "route " + route;
    String oauthFix = "make the MCP server an OAuth resource server (MCP authorization spec 2025-11-25): answer 401 with "
        + "WWW-Authenticate: Bearer resource_metadata=\"" + metadataUrlFor(expectedResource) + "\" and serve RFC 9728 "
        + "metadata with \"resource\": \"" + expectedResource + "\"";
    if (r.refused() != null) {
      return List.of(new Finding(REFUSED, Severity.MEDIUM, subject,
          r.refused() + ": the proxy refuses this upstream, so the route answers 502",
          "fix the route's upstream address or add it to upstream.allowed_ips if it is really an MCP server"));
    }
    if (r.unreachable() != null) {
      return List.of(new Finding(UNREACHABLE, Severity.MEDIUM, subject,
          "could not probe: " + r.unreachable(),
          "run the audit where the proxy runs (it must reach the upstream), or check that the MCP server is up"));
    }
    if (r.status() != 401) {
      return List.of(new Finding(NOT_REQUIRED, Severity.HIGH, subject,
          "an unauthenticated initialize was answered " + r.status() + ", not 401", oauthFix));
    }
    if (r.metadataUrl() == null) {
      return List.of(new Finding(NO_METADATA, Severity.MEDIUM, subject,
          "401 " + (r.wwwAuthenticate() == null ? "without WWW-Authenticate"
              : "with WWW-Authenticate: " + r.wwwAuthenticate() + " (no Bearer resource_metadata)"),
          oauthFix));
    }
    if (r.metadataError() != null) {
      return List.of(new Finding(METADATA_INVALID, Severity.MEDIUM, subject,
          "resource metadata " + r.metadataUrl() + ": " + r.metadataError(), oauthFix));
    }
    if (!expectedResource.equals(r.resource())) {
      return List.of(new Finding(RESOURCE_MISMATCH, Severity.MEDIUM, subject,
          "resource metadata names resource " + r.resource() + ", expected the public URL " + expectedResource,
          "configure the MCP server's resource identifier as " + expectedResource));
    }
    return List.of();
  }

  /** RFC 9728 §3.1: the well-known path is inserted before the resource's path. */
  static String metadataUrlFor(String resource) {
    java.net.URI u = java.net.URI.create(resource);
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    return "https://" + u.getRawAuthority() + "/.well-known/oauth-protected-resource" + (path.equals("/") ? "" : path);
  }
}
