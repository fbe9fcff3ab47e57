package io.mcptunnel.cli;

import io.mcptunnel.common.HostPort;
import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.ops.firewall.FirewallPlan;
import io.mcptunnel.ops.firewall.FirewallPlanner;
import io.mcptunnel.ops.firewall.NftablesRuleset;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code mcptunnel firewall}: host rules limiting a Compose stack to the edge, the API and the upstreams. */
@Command(name = "firewall",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Print nftables rules for a Compose host that let the stack's network reach only the edges,"
        + " the Tunnels API and the configured upstreams, and count, log (prefix mcptunnel-drop) and drop"
        + " everything else it sends.",
        "Names are resolved once, now; load the output with nft -f FILE and run this again after changes."})
public final class FirewallCommand implements Callable<Integer> {
  /** The proxy's resolver; tests answer in its place. */
  static HostResolver resolver = HostResolver.system();

  @Mixin
  ConfigOption config;

  @Option(names = "--format", required = true, paramLabel = "FORMAT", converter = FormatConverter.class,
      description = "Output format; only nftables.")
  String format;

  @Option(names = "--edge", required = true, paramLabel = "HOST:PORT",
      description = "An edge's connector address (port default 7844); repeat for several edges.")
  List<String> edges;

  @Option(names = "--api-url", paramLabel = "URL",
      description = "Tunnels API base URL; its host is allowed on its port (default 443).")
  String apiUrl;

  @Option(names = "--source", paramLabel = "CIDR", defaultValue = FirewallPlanner.DEFAULT_SOURCE,
      converter = CidrConverter.class,
      description = "The stack's network (default: ${DEFAULT-VALUE}, the shipped Compose network).")
  Ipv4Cidr source;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    List<HostPort> edgeAddresses = edges.stream().map(e -> {
      InetSocketAddress a = ConnectorRunCommand.hostPort("--edge", e, true);
      return new HostPort(a.getHostString(), a.getPort());
    }).toList();
    URI api = apiUrl == null ? null : uri(apiUrl);
    var loaded = config.load();
    FirewallPlan plan = new FirewallPlanner(resolver).plan(loaded, config.file.toString(), edgeAddresses, api, source);
    PrintWriter out = spec.commandLine().getOut();
    out.print(NftablesRuleset.render(plan));
    out.flush();
    return 0;
  }

  private static URI uri(String text) {
    try {
      return new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new io.mcptunnel.common.McptunnelException("--api-url " + text + ": not a URL; expected https://HOST[:PORT]");
    }
  }

  /** Only nftables exists; anything else is a usage error naming it. */
  static final class FormatConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!"nftables".equals(value)) {
        throw new TypeConversionException("\"" + value + "\" (expected: nftables)");
      }
      return value;
    }
  }

  static final class CidrConverter implements ITypeConverter<Ipv4Cidr> {
    @Override
    public Ipv4Cidr convert(String value) {
      try {
        return Ipv4Cidr.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
