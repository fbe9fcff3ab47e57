package io.mcptunnel.cli;

import io.mcptunnel.egress.AddressClassifier;
import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.egress.EgressPolicy;
import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.egress.Ipv4Cidrs;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.Upstream;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel proxy suggest-allowed-ips}: resolves each route's upstream host once, the way the
 * proxy does, and prints the narrowest {@code upstream.allowed_ips} that still reaches every route.
 * Exit 1 when a host does not resolve or nothing usable is left to suggest.
 */
@Command(name = "suggest-allowed-ips",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Resolve every route's upstream once and print the narrowest upstream.allowed_ips covering them.")
public final class ProxySuggestAllowedIpsCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Spec
  CommandSpec spec;

  /** The proxy's resolver; a field so a test can answer in its place. */
  HostResolver resolver = HostResolver.system();

  @Override
  public Integer call() {
    ProxyConfig c = config.load();
    EgressPolicy current = c.egressPolicy();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, List<InetAddress>> lookups = new HashMap<>();
    Set<Inet4Address> suggested = new LinkedHashSet<>();
    boolean unresolved = false;
    for (Map.Entry<String, Upstream> route : c.routes().entrySet()) {
      Upstream up = route.getValue();
      List<InetAddress> found = lookups.computeIfAbsent(up.host(), h -> EgressGuard.lookup(h, resolver));
      if (found.isEmpty()) {
        err.println("error: route " + route.getKey() + ": upstream host " + up.host() + " could not be resolved");
        unresolved = true;
        continue;
      }
      out.println("route " + route.getKey() + " -> " + up + ": "
          + found.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
      for (InetAddress a : found) {
        if (!(a instanceof Inet4Address v4)) {
          out.println("  " + a.getHostAddress() + ": unsupported, IPv6 (the proxy reaches upstreams over IPv4 only)");
          continue;
        }
        boolean allowedNow = AddressClassifier.classify(v4, current).allowed();
        String hazard = AddressClassifier.hazard(v4);
        if (hazard != null) {
          out.println("  warning: " + v4.getHostAddress() + " is a " + hazard + "; "
              + (allowedNow ? "included because the current setting already allows it"
                  : "left out because the current setting does not allow it"));
          if (!allowedNow) {
            continue;
          }
        } else if (!allowedNow) {
          out.println("  note: " + v4.getHostAddress() + " is not allowed by the current setting");
        }
        suggested.add(v4);
      }
    }
    out.println(currentLine(current));
    if (suggested.isEmpty()) {
      out.flush();
      err.println("error: no route resolved to an IPv4 address to suggest");
      err.flush();
      return ExitHandler.FAILURE;
    }
    List<Ipv4Cidr> narrowest = Ipv4Cidrs.narrowest(suggested);
    out.println("suggested: allows " + count(Ipv4Cidrs.addressCount(narrowest)));
    out.println("upstream:");
    out.println("  allowed_ips: " + narrowest);
    out.flush();
    err.flush();
    return unresolved ? ExitHandler.FAILURE : 0;
  }

  private static String currentLine(EgressPolicy p) {
    return switch (p.mode()) {
      case VALIDATION_DISABLED -> "current: disable_ip_validation is true, allows every address";
      case DEFAULT_PRIVATE -> "current: allowed_ips not set, default " + p.allowed() + " allows "
          + count(Ipv4Cidrs.addressCount(p.allowed()));
      case ALLOW_LIST -> "current: allowed_ips " + p.allowed() + " allows " + count(Ipv4Cidrs.addressCount(p.allowed()));
    };
  }

  private static String count(long n) {
    return n + (n == 1 ? " address" : " addresses");
  }
}
