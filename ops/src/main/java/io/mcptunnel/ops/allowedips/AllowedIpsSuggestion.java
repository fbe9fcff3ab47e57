package io.mcptunnel.ops.allowedips;

import io.mcptunnel.egress.AddressClassifier;
import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.egress.EgressPolicy;
import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.egress.Ipv4Cidrs;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.Upstream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves each route's upstream host once, the way the proxy does, and computes the narrowest
 * {@code allowed_ips} covering every usable address. Hazardous addresses (loopback, link-local,
 * metadata) are kept only when the current setting already allows them, so a suggestion never
 * widens what the proxy may reach.
 *
 * @param routes one entry per route, in configuration order
 * @param current the policy in force
 * @param suggested the narrowest CIDRs; empty when no route gave a usable IPv4 address
 */
public record AllowedIpsSuggestion(List<RouteAddresses> routes, EgressPolicy current, List<Ipv4Cidr> suggested) {

  /** What one route's upstream host resolved to; {@code addresses} empty when it did not resolve. */
  public record RouteAddresses(String route, Upstream upstream, List<InetAddress> addresses, List<AddressNote> notes) {
    public boolean resolved() {
      return !addresses.isEmpty();
    }
  }

  /** Why an address is special; {@code included} whether it is part of the suggestion. */
  public record AddressNote(InetAddress address, Kind kind, String hazard, boolean included) {}

  public enum Kind {
    /** IPv6: the proxy reaches upstreams over IPv4 only. */
    IPV6,
    /** Loopback, link-local, metadata or not unicast ({@code hazard} says which). */
    HAZARD,
    /** An ordinary address the current setting does not allow. */
    NOT_ALLOWED_NOW
  }

  public AllowedIpsSuggestion {
    routes = List.copyOf(routes);
    suggested = List.copyOf(suggested);
  }

  public static AllowedIpsSuggestion compute(ProxyConfig config, HostResolver resolver) {
    EgressPolicy current = config.egressPolicy();
    Map<String, List<InetAddress>> lookups = new HashMap<>();
    Set<Inet4Address> kept = new LinkedHashSet<>();
    List<RouteAddresses> routes = new ArrayList<>();
    for (Map.Entry<String, Upstream> route : config.routes().entrySet()) {
      Upstream up = route.getValue();
      List<InetAddress> found = lookups.computeIfAbsent(up.host(), h -> EgressGuard.lookup(h, resolver));
      List<AddressNote> notes = new ArrayList<>();
      for (InetAddress a : found) {
        if (!(a instanceof Inet4Address v4)) {
          notes.add(new AddressNote(a, Kind.IPV6, null, false));
          continue;
        }
        boolean allowedNow = AddressClassifier.classify(v4, current).allowed();
        String hazard = AddressClassifier.hazard(v4);
        if (hazard != null) {
          notes.add(new AddressNote(v4, Kind.HAZARD, hazard, allowedNow));
          if (!allowedNow) {
            continue;
          }
        } else if (!allowedNow) {
          notes.add(new AddressNote(v4, Kind.NOT_ALLOWED_NOW, null, true));
        }
        kept.add(v4);
      }
      routes.add(new RouteAddresses(route.getKey(), up, found, notes));
    }
    return new AllowedIpsSuggestion(routes, current, kept.isEmpty() ? List.of() : Ipv4Cidrs.narrowest(kept));
  }

  public boolean anyUnresolved() {
    return routes.stream().anyMatch(r -> !r.resolved());
  }

  /** How many addresses the current setting allows; {@code -1} when validation is disabled. */
  public long currentCount() {
    return current.mode() == EgressPolicy.Mode.VALIDATION_DISABLED ? -1 : Ipv4Cidrs.addressCount(current.allowed());
  }

  public long suggestedCount() {
    return Ipv4Cidrs.addressCount(suggested);
  }

  public static String count(long n) {
    return n + (n == 1 ? " address" : " addresses");
  }
}
