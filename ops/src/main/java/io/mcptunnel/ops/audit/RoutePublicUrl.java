package io.mcptunnel.ops.audit;

import io.mcptunnel.proxy.config.ProxyConfig;

/** The name callers use for a route, which an OAuth-protected upstream must name as its resource. */
final class RoutePublicUrl {
  private RoutePublicUrl() {}

  /** A key with a dot is a full host name; a bare label lives under {@code tunnel_domain}. */
  static String host(String route, ProxyConfig config) {
    return route.contains(".") || config.tunnelDomain().isEmpty() ? route : route + "." + config.tunnelDomain().get();
  }

  static String resource(String route, ProxyConfig config, String path) {
    return "https://" + host(route, config) + path;
  }
}
