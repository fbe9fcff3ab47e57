package io.mcptunnel.ops.firewall;

import io.mcptunnel.common.HostPort;
import io.mcptunnel.egress.AddressClassifier;
import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.egress.Verdict;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.Upstream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Decides what the stack may reach: each edge address:port, the API host on its port (443 for
 * https), and each route's upstream address:port as the proxy would connect to it. Every name is
 * resolved once, here; the rules hold addresses. Upstream addresses the proxy's egress policy
 * refuses, and IPv6 addresses (the proxy and the connector reach out over IPv4 only), are left out
 * with a note. DNS is not allowed: names are resolved now, and Docker's embedded resolver answers
 * containers from inside their own network namespace (the daemon forwards from the host), so
 * containers need no DNS traffic of their own through the host's firewall.
 */
public final class FirewallPlanner {
  /** SPEC §7: the stack's Compose network, fixed in the shipped Compose file. */
  public static final String DEFAULT_SOURCE = "172.31.250.0/24";

  private final HostResolver resolver;
  private final Map<String, List<InetAddress>> lookups = new HashMap<>();

  public FirewallPlanner(HostResolver resolver) {
    this.resolver = resolver;
  }

  /**
   * @param edges connector addresses of the edges (port already defaulted)
   * @param apiUrl the Tunnels API base URL, or null for no API rule
   * @throws FirewallException naming the first host that does not resolve to an IPv4 address
   */
  public FirewallPlan plan(ProxyConfig config, String configFile, List<HostPort> edges, URI apiUrl,
      Ipv4Cidr source) {
    List<String> notes = new ArrayList<>();
    TreeSet<Destination> edgeRules = new TreeSet<>();
    for (HostPort edge : edges) {
      for (Inet4Address a : ipv4(edge.host(), "edge host " + edge.host(), notes)) {
        edgeRules.add(new Destination(a, edge.port(), "edge " + edge.host() + ":" + edge.port()));
      }
    }
    TreeSet<Destination> apiRules = new TreeSet<>();
    if (apiUrl != null) {
      HostPort api = apiHostPort(apiUrl);
      for (Inet4Address a : ipv4(api.host(), "API host " + api.host(), notes)) {
        apiRules.add(new Destination(a, api.port(), "API " + api.host() + ":" + api.port()));
      }
    } else {
      notes.add("no --api-url: the stack may not reach the Tunnels API (setup init, renew via API, rotate-ca)");
    }
    TreeSet<Destination> upstreamRules = new TreeSet<>();
    for (Map.Entry<String, Upstream> route : config.routes().entrySet()) {
      Upstream up = route.getValue();
      String what = "route " + route.getKey() + " -> " + up;
      List<InetAddress> found = lookup(up.host());
      if (found.isEmpty()) {
        throw new FirewallException("route " + route.getKey() + ": upstream host " + up.host()
            + " could not be resolved");
      }
      for (InetAddress a : found) {
        Verdict verdict = AddressClassifier.classify(a, config.egressPolicy());
        if (!(a instanceof Inet4Address v4)) {
          notes.add(what + ": " + a.getHostAddress() + " left out: IPv6 (the proxy reaches upstreams over IPv4 only)");
        } else if (!verdict.allowed()) {
          notes.add(what + ": " + a.getHostAddress() + " left out: the proxy refuses it ("
              + verdict.message() + ")");
        } else {
          upstreamRules.add(new Destination(v4, up.port(), what));
        }
      }
    }
    return new FirewallPlan(source, configFile, merge(edgeRules), merge(apiRules), merge(upstreamRules), notes);
  }

  /** {@code https://host[:port][/path]}: the port, else 443 (http: 80). */
  static HostPort apiHostPort(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
      throw new FirewallException("--api-url " + url + ": expected https://HOST[:PORT]");
    }
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
        : url.getHost();
    int port = url.getPort() > 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
    return new HostPort(host.toLowerCase(Locale.ROOT), port);
  }

  private List<Inet4Address> ipv4(String host, String what, List<String> notes) {
    List<InetAddress> found = lookup(host);
    List<Inet4Address> v4 = new ArrayList<>();
    for (InetAddress a : found) {
      if (a instanceof Inet4Address four) {
        v4.add(four);
      } else {
        notes.add(what + ": " + a.getHostAddress() + " left out: IPv6 (the stack's network is IPv4)");
      }
    }
    if (v4.isEmpty()) {
      throw new FirewallException(what + " could not be resolved" + (found.isEmpty() ? "" : " to an IPv4 address"));
    }
    return v4;
  }

  /** Resolved once per name, the way the proxy resolves an upstream (literals never reach DNS). */
  private List<InetAddress> lookup(String host) {
    return lookups.computeIfAbsent(host.toLowerCase(Locale.ROOT), h -> EgressGuard.lookup(h, resolver));
  }

  /** One rule per address:port; several reasons for the same one share it. */
  private static List<Destination> merge(TreeSet<Destination> sorted) {
    List<Destination> merged = new ArrayList<>();
    for (Destination d : sorted) {
      Destination last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && last.address().equals(d.address()) && last.port() == d.port()) {
        merged.set(merged.size() - 1, new Destination(d.address(), d.port(), last.why() + ", " + d.why()));
      } else {
        merged.add(d);
      }
    }
    return merged;
  }
}
