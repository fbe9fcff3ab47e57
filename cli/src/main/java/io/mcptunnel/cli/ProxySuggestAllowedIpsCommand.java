package io.mcptunnel.cli;

import io.mcptunnel.egress.EgressPolicy;
import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.egress.Ipv4Cidrs;
import io.mcptunnel.ops.allowedips.AllowedIpsSuggestion;
import io.mcptunnel.ops.allowedips.AllowedIpsSuggestion.AddressNote;
import io.mcptunnel.ops.allowedips.AllowedIpsSuggestion.RouteAddresses;
import io.mcptunnel.proxy.config.ProxyConfig;
import java.io.PrintWriter;
import java.net.InetAddress;
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
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AllowedIpsSuggestion s = AllowedIpsSuggestion.compute(c, resolver);
    for (RouteAddresses route : s.routes()) {
      if (!route.resolved()) {
        err.println("error: route " + route.route() + ": upstream host " + route.upstream().host() + " could not be resolved");
        continue;
      }
      out.println("route " + route.route() + " -> " + route.upstream() + ": "
          + route.addresses().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
      for (AddressNote note : route.notes()) {
        String a = note.address().getHostAddress();
        out.println(switch (note.kind()) {
          case IPV6 -> "  " + a + ": unsupported, IPv6 (the proxy reaches upstreams over IPv4 only)";
          case HAZARD -> "  warning: " + a + " is a " + note.hazard() + "; " + (note.included()
              ? "included because the current setting already allows it"
              : "left out because the current setting does not allow it");
          case NOT_ALLOWED_NOW -> "  note: " + a + " is not allowed by the current setting";
        });
      }
    }
    out.println(currentLine(s.current()));
    if (s.suggested().isEmpty()) {
      out.flush();
      err.println("error: no route resolved to an IPv4 address to suggest");
      err.flush();
      return ExitHandler.FAILURE;
    }
    out.println("suggested: allows " + count(s.suggestedCount()));
    out.println("upstream:");
    out.println("  allowed_ips: " + s.suggested());
    out.flush();
    err.flush();
    return s.anyUnresolved() ? ExitHandler.FAILURE : 0;
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
    return AllowedIpsSuggestion.count(n);
  }
}
