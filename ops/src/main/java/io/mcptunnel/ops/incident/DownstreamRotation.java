package io.mcptunnel.ops.incident;

import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What to rotate downstream after a breach: a caller holding the tunnel could have obtained OAuth
 * tokens from each routed MCP server's authorization server, for that route's public URL.
 */
public final class DownstreamRotation {
  /** One route: its public URL, the upstream it reached, and what to do. */
  public record Item(String route, String publicUrl, String upstream, String action) {
    public String line() {
      return route + " (" + publicUrl + " -> " + upstream + "): " + action;
    }
  }

  private DownstreamRotation() {}

  /** {@code domain}: the config's tunnel_domain, else the output's tunnel-domain (may be null). */
  public static List<Item> of(ProxyConfig config, String domain) {
    String d = config.tunnelDomain().orElse(domain);
    List<Item> items = new ArrayList<>();
    for (Map.Entry<String, Upstream> route : config.routes().entrySet()) {
      String key = route.getKey();
      String host = key.contains(".") || d == null ? key : key + "." + d;
      String publicUrl = "https://" + host;
      Upstream u = route.getValue();
      String upstream = u.scheme() + "://" + (u.host().contains(":") ? "[" + u.host() + "]" : u.host()) + ":" + u.port();
      items.add(new Item(key, publicUrl, upstream, "revoke/rotate OAuth tokens issued for " + publicUrl
          + " by this server's authorization server; rotate its client secrets"));
    }
    return items;
  }
}
