package io.mcptunnel.proxy;

import io.mcptunnel.proxy.config.Upstream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Host-based routing: the request's host (port removed, case ignored) is looked up as a key first;
 * failing that, a host under {@code .<tunnel_domain>} is looked up by what precedes the suffix.
 */
public final class RouteTable {
  private final Map<String, Upstream> routes;
  private final String domainSuffix;

  public RouteTable(Map<String, Upstream> routes, Optional<String> tunnelDomain) {
    this.routes = Map.copyOf(routes);
    this.domainSuffix = tunnelDomain.map(d -> "." + d).orElse(null);
  }

  /** The route for a {@code Host} header value, if any. */
  public Optional<Route> lookup(String hostHeader) {
    if (hostHeader == null) {
      return Optional.empty();
    }
    String host = hostOnly(hostHeader.trim()).toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    Upstream exact = routes.get(host);
    if (exact != null) {
      return Optional.of(new Route(host, exact));
    }
    if (domainSuffix != null && host.endsWith(domainSuffix) && host.length() > domainSuffix.length()) {
      String label = host.substring(0, host.length() - domainSuffix.length());
      Upstream up = routes.get(label);
      if (up != null) {
        return Optional.of(new Route(label, up));
      }
    }
    return Optional.empty();
  }

  /** Removes a port; keeps bracketed IPv6 literals whole. */
  static String hostOnly(String hostHeader) {
    if (hostHeader.startsWith("[")) {
      int end = hostHeader.indexOf(']');
      return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
    }
    int colon = hostHeader.lastIndexOf(':');
    return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
  }
}
