package io.mcptunnel.edge.callers;

import io.mcptunnel.egress.Ipv4Cidr;
import java.util.List;

/**
 * A caller the edge knows: its organization (it may reach only that organization's tunnels), the
 * SHA-256 of its caller key (the key itself is never stored), and the source networks it may
 * connect from (empty = any).
 */
public record Caller(String name, String organization, String keySha256, List<Ipv4Cidr> allowedSources) {
  public Caller {
    allowedSources = List.copyOf(allowedSources);
  }

  @Override
  public String toString() {
    return "Caller[name=" + name + ", organization=" + organization + ", sources=" + allowedSources + "]";
  }
}
