package io.mcptunnel.proxy.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.config.StrictYaml;
import io.mcptunnel.egress.EgressPolicy;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.proxy.config.ProxyConfig.LogFormat;
import io.mcptunnel.proxy.config.ProxyConfig.LogLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the compatible proxy configuration file and applies every startup rule in one place.
 * The YAML is walked as a tree rather than bound to classes so that each refusal can name the
 * field and say what is expected, and so unknown fields are refused rather than ignored: a typo
 * must never silently weaken security.
 */
public final class ProxyConfigParser {
  public static final Path DEFAULT_PATH = Path.of("/etc/mcp-gateway/config.yaml");
  public static final String DEFAULT_ADMIN_ADDR = "127.0.0.1:8081";

  private static final Set<String> TOP = Set.of("listen_addr", "admin_addr", "log_level", "log_format",
      "shutdown_timeout", "tunnel_domain", "tls", "routes", "upstream", "policies");
  private static final Set<String> TLS = Set.of("cert_file", "key_file");
  private static final Set<String> UPSTREAM = Set.of("allowed_ips", "disable_ip_validation", "tls");
  private static final Set<String> UPSTREAM_TLS = Set.of("ca_file", "include_system_cas");
  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private static final StrictYaml Y = new StrictYaml(ConfigException::new);

  private ProxyConfigParser() {}

  /** Reads and validates a configuration file. */
  public static ProxyConfig parse(Path file) {
    return parse(Y.readFile(file), file.toString());
  }

  /** Validates configuration text; {@code source} names it in messages. */
  public static ProxyConfig parse(String yaml, String source) {
    JsonNode root = Y.readMap(yaml, source, "at least listen_addr, tls and routes");
    Y.checkKnown(root, "", TOP);
    JsonNode tls = Y.section(root, "tls", TLS);
    JsonNode upstream = Y.section(root, "upstream", UPSTREAM);
    JsonNode upstreamTls = Y.section(upstream, "upstream.tls", UPSTREAM_TLS);

    HostPort listen = Y.hostPort(Y.required(root, "listen_addr", "listen_addr"), "listen_addr");
    HostPort admin = Y.hostPort(Optional.ofNullable(Y.text(root, "admin_addr", "admin_addr")).orElse(DEFAULT_ADMIN_ADDR),
        "admin_addr");
    LogLevel level = Y.choice(root, "log_level", LogLevel.class, LogLevel.INFO);
    LogFormat format = Y.choice(root, "log_format", LogFormat.class, LogFormat.JSON);
    Duration shutdown = Y.duration(root, "shutdown_timeout", "shutdown_timeout", Duration.ofSeconds(30));
    Optional<String> domain = Optional.ofNullable(Y.text(root, "tunnel_domain", "tunnel_domain"))
        .map(ProxyConfigParser::domain);

    Path cert = Path.of(Y.required(tls, "cert_file", "tls.cert_file"));
    Path key = Path.of(Y.required(tls, "key_file", "tls.key_file"));

    Map<String, Upstream> routes = routes(root.get("routes"), domain);

    EgressPolicy policy = policy(upstream);
    Optional<Path> caFile = Optional.ofNullable(Y.text(upstreamTls, "ca_file", "upstream.tls.ca_file")).map(Path::of);
    boolean systemCas = Y.bool(upstreamTls, "include_system_cas", "upstream.tls.include_system_cas");
    routes.forEach((name, up) -> {
      if (up.tls() && caFile.isEmpty() && !systemCas) {
        throw new ConfigException("routes." + name + ": https upstream needs a trust anchor: set "
            + "upstream.tls.ca_file or upstream.tls.include_system_cas: true");
      }
    });
    Map<String, RoutePolicy> policies = RoutePolicies.parse(Y, root.get("policies"), routes.keySet());
    return new ProxyConfig(listen, admin, level, format, shutdown, domain, cert, key, routes, policy,
        caFile, systemCas, policies);
  }

  private static Map<String, Upstream> routes(JsonNode node, Optional<String> domain) {
    if (node == null || node.isNull()) {
      throw new ConfigException("routes is required (a map of route name to scheme://host:port)");
    }
    if (!node.isObject()) {
      throw new ConfigException("routes: cannot unmarshal " + StrictYaml.tag(node)
          + " into map[string]string (routes must be a map of name to scheme://host:port, e.g. \"echo: http://10.0.0.5:9000\")");
    }
    if (node.isEmpty()) {
      throw new ConfigException("routes: at least one route is required");
    }
    Map<String, Upstream> routes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!HOST_NAME.matcher(name).matches()) {
        throw new ConfigException("routes: \"" + e.getKey()
            + "\" is not a valid route name (expected a subdomain label or a full host name)");
      }
      if (!name.contains(".") && domain.isEmpty()) {
        throw new ConfigException("routes." + name
            + ": tunnel_domain is required when route keys are bare subdomains");
      }
      if (!e.getValue().isTextual()) {
        throw new ConfigException("routes." + name + ": cannot unmarshal " + StrictYaml.tag(e.getValue())
            + " into string (expected scheme://host:port)");
      }
      if (routes.containsKey(name)) {
        throw new ConfigException("routes." + name + ": duplicate route (route names are case-insensitive)");
      }
      try {
        routes.put(name, Upstream.parse(e.getValue().asText().trim()));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException("routes." + name + ": " + ex.getMessage());
      }
    }
    return routes;
  }

  private static EgressPolicy policy(JsonNode upstream) {
    boolean disabled = Y.bool(upstream, "disable_ip_validation", "upstream.disable_ip_validation");
    JsonNode list = upstream.get("allowed_ips");
    boolean hasList = list != null && !list.isNull();
    if (disabled && hasList) {
      throw new ConfigException("upstream.allowed_ips and upstream.disable_ip_validation: true are mutually exclusive");
    }
    if (disabled) {
      return EgressPolicy.validationDisabled();
    }
    if (!hasList) {
      return EgressPolicy.defaultPrivate();
    }
    if (!list.isArray()) {
      throw new ConfigException("upstream.allowed_ips: cannot unmarshal " + StrictYaml.tag(list)
          + " into []string (expected a list of IPv4 CIDRs, e.g. [10.0.0.0/24])");
    }
    if (list.isEmpty()) {
      throw new ConfigException("upstream.allowed_ips: empty list (omit it for the RFC 1918 default, "
          + "or list the CIDRs of your MCP servers)");
    }
    List<Ipv4Cidr> cidrs = new ArrayList<>();
    for (JsonNode item : list) {
      try {
        cidrs.add(Ipv4Cidr.parse(item.asText()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("upstream.allowed_ips: " + e.getMessage());
      }
    }
    return EgressPolicy.allowList(cidrs);
  }

  private static String domain(String value) {
    String d = value.trim().toLowerCase(Locale.ROOT);
    if (d.startsWith(".")) {
      d = d.substring(1);
    }
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (!HOST_NAME.matcher(d).matches()) {
      throw new ConfigException("tunnel_domain: \"" + value + "\" is not a valid domain name");
    }
    return d;
  }
}
