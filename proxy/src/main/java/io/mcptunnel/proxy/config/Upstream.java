package io.mcptunnel.proxy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** An upstream MCP server address, exactly {@code scheme://host:port} with scheme http or https. */
public record Upstream(String scheme, String host, int port) {

  static final String FORM_ERROR = "invalid upstream (must be scheme://host:port)";

  /** Parses an upstream URL or throws with the compatible message and what exactly is off. */
  public static Upstream parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw invalid("scheme must be http or https");
    }
    if (uri.getRawUserInfo() != null) {
      throw invalid("user info is not allowed");
    }
    if (uri.getHost() == null) {
      throw invalid("missing host");
    }
    if (uri.getPort() <= 0) {
      throw invalid("missing port");
    }
    if (uri.getRawPath() == null || !uri.getRawPath().isEmpty()) {
      throw invalid("a path is not allowed; the caller's path is forwarded as is");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw invalid("a query or fragment is not allowed");
    }
    return new Upstream(scheme, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort());
  }

  private static IllegalArgumentException invalid(String detail) {
    // The URL itself is not echoed: user info in it may be a credential.
    return new IllegalArgumentException(FORM_ERROR + ": " + detail);
  }

  public boolean tls() {
    return scheme.equals("https");
  }

  /** The value of a Host header naming the upstream itself. */
  public String authority() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return h + ":" + port;
  }

  @Override
  public String toString() {
    return scheme + "://" + authority();
  }
}
