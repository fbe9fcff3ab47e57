package io.mcptunnel.caller.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a gateway request goes: its first path segment names the tunnel host, the rest is the path
 * the MCP server sees. {@code /echo.t1.tunnels.example/mcp?x=1} → host {@code echo.t1.tunnels.example},
 * path {@code /mcp?x=1}. Anything that is not a DNS name with at least two labels is refused, so a
 * request can never name an address or smuggle a port or user info into the target.
 */
public record GatewayTarget(String host, String path) {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  /** The target of a request URI, or an explanation fit for a 400 answer. */
  public static Result parse(String uri) {
    String pathAndQuery = uri;
    if (!uri.startsWith("/")) {
      try {
        URI absolute = new URI(uri);
        if (absolute.getRawPath() == null || absolute.getRawPath().isEmpty()) {
          return Result.error("the request target must be /<route>.<tunnel-domain>/<path>");
        }
        pathAndQuery = absolute.getRawPath() + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
      } catch (URISyntaxException e) {
        return Result.error("the request target is not a valid URI");
      }
    }
    int end = indexOfAny(pathAndQuery, 1);
    String host = pathAndQuery.substring(1, end).toLowerCase(Locale.ROOT);
    if (!isHostName(host)) {
      return Result.error("the first path segment must be a tunnel host, <route>.<tunnel-domain>");
    }
    String rest = pathAndQuery.substring(end);
    if (rest.isEmpty() || rest.charAt(0) == '?') {
      rest = "/" + rest;
    }
    return new Result(new GatewayTarget(host, rest), null);
  }

  private static int indexOfAny(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' || c == '?') {
        return i;
      }
    }
    return s.length();
  }

  static boolean isHostName(String host) {
    if (host.isEmpty() || host.length() > 253 || host.endsWith(".")) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    if (labels.length < 2) {
      return false;
    }
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // A numeric last label would make this an IPv4 literal, not a tunnel host.
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }

  /** A target or the reason there is none. */
  public record Result(GatewayTarget target, String error) {
    static Result error(String why) {
      return new Result(null, why);
    }

    public boolean ok() {
      return target != null;
    }
  }
}
