package io.mcptunnel.ops.firewall;

import io.mcptunnel.egress.Ipv4Cidr;
import java.util.List;

/**
 * What the stack may reach, decided and resolved: each list sorted by address then port, without
 * duplicates. {@code notes} say what was left out and why (printed as comments).
 *
 * @param source the stack's addresses (its Compose network)
 * @param configFile how the proxy configuration was named, for the header
 */
public record FirewallPlan(Ipv4Cidr source, String configFile, List<Destination> edges, List<Destination> api,
    List<Destination> upstreams, List<String> notes) {
  public FirewallPlan {
    edges = List.copyOf(edges);
    api = List.copyOf(api);
    upstreams = List.copyOf(upstreams);
    notes = List.copyOf(notes);
  }
}
