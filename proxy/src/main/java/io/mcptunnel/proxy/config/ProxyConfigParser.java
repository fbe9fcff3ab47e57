package io.mcptunnel.proxy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.egress.EgressPolicy;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.proxy.config.ProxyConfig.LogFormat;
import io.mcptunnel.proxy.config.ProxyConfig.LogLevel;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
      "shutdown_timeout", "tunnel_domain", "tls", "routes", "upstream");
  private static final Set<String> TLS = Set.of("cert_file", "key_file");
  private static final Set<String> UPSTREAM = Set.of("allowed_ips", "disable_ip_validation", "tls");
  private static final Set<String> UPSTREAM_TLS = Set.of("ca_file", "include_system_cas");
  private static final Pattern HOST_NAME =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private ProxyConfigParser() {}

  /** Reads and validates a configuration file. */
  public static ProxyConfig parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("open " + file + ": no such file or directory");
    } catch (AccessDeniedException e) {
      throw new ConfigException("open " + file + ": permission denied");
    } catch (IOException e) {
      throw new ConfigException("read " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Validates configuration text; {@code source} names it in messages. */
  public static ProxyConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": invalid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(source + ": empty configuration (expected at least listen_addr, tls and routes)");
    }
    if (!root.isObject()) {
      throw new ConfigException(source + ": the configuration must be a map of fields");
    }
    checkKnown(root, "", TOP);
    JsonNode tls = section(root, "tls", TLS);
    JsonNode upstream = section(root, "upstream", UPSTREAM);
    JsonNode upstreamTls = section(upstream, "upstream.tls", UPSTREAM_TLS);

    HostPort listen = hostPort(required(root, "listen_addr"), "listen_addr");
    HostPort admin = hostPort(Optional.ofNullable(text(root, "admin_addr")).orElse(DEFAULT_ADMIN_ADDR), "admin_addr");
    LogLevel level = choice(root, "log_level", LogLevel.class, LogLevel.INFO);
    LogFormat format = choice(root, "log_format", LogFormat.class, LogFormat.JSON);
    Duration shutdown = duration(root, "shutdown_timeout", Duration.ofSeconds(30));
    Optional<String> domain = Optional.ofNullable(text(root, "tunnel_domain")).map(ProxyConfigParser::domain);

    Path cert = Path.of(required(tls, "tls.cert_file", "cert_file"));
    Path key = Path.of(required(tls, "tls.key_file", "key_file"));

    Map<String, Upstream> routes = routes(root.get("routes"), domain);

    EgressPolicy policy = policy(upstream);
    Optional<Path> caFile = Optional.ofNullable(text(upstreamTls, "ca_file", "upstream.tls.ca_file")).map(Path::of);
    boolean systemCas = bool(upstreamTls, "include_system_cas", "upstream.tls.include_system_cas");
    routes.forEach((name, up) -> {
      if (up.tls() && caFile.isEmpty() && !systemCas) {
        throw new ConfigException("routes." + name + ": https upstream needs a trust anchor: set "
            + "upstream.tls.ca_file or upstream.tls.include_system_cas: true");
      }
    });
    return new ProxyConfig(listen, admin, level, format, shutdown, domain, cert, key, routes, policy,
        caFile, systemCas);
  }

  private static Map<String, Upstream> routes(JsonNode node, Optional<String> domain) {
    if (node == null || node.isNull()) {
      throw new ConfigException("routes is required (a map of route name to scheme://host:port)");
    }
    if (!node.isObject()) {
      throw new ConfigException("routes: cannot unmarshal " + yamlTag(node)
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
        throw new ConfigException("routes." + name + ": cannot unmarshal " + yamlTag(e.getValue())
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
    boolean disabled = bool(upstream, "disable_ip_validation", "upstream.disable_ip_validation");
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
      throw new ConfigException("upstream.allowed_ips: cannot unmarshal " + yamlTag(list)
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

  private static void checkKnown(JsonNode node, String prefix, Set<String> known) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String name = field.getKey();
      if (!known.contains(name)) {
        throw new ConfigException("unknown field \"" + prefix + name + "\" (known fields"
            + (prefix.isEmpty() ? "" : " of " + prefix.substring(0, prefix.length() - 1)) + ": "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static JsonNode section(JsonNode parent, String path, Set<String> known) {
    String name = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return YAML.createObjectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(path + ": cannot unmarshal " + yamlTag(node) + " into a map of fields");
    }
    checkKnown(node, path + ".", known);
    return node;
  }

  private static String required(JsonNode node, String path) {
    return required(node, path, path);
  }

  private static String required(JsonNode node, String path, String name) {
    String value = text(node, name, path);
    if (value == null || value.isBlank()) {
      throw new ConfigException(path + " is required");
    }
    return value;
  }

  private static String text(JsonNode node, String name) {
    return text(node, name, name);
  }

  private static String text(JsonNode node, String name, String path) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw new ConfigException(path + ": cannot unmarshal " + yamlTag(v) + " into string");
    }
    return v.asText();
  }

  private static boolean bool(JsonNode node, String name, String path) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    String t = v.asText().toLowerCase(Locale.ROOT);
    if (v.isTextual() && (t.equals("true") || t.equals("false"))) {
      return Boolean.parseBoolean(t);
    }
    throw new ConfigException(path + ": \"" + v.asText() + "\" is not a boolean (expected: true or false)");
  }

  private static HostPort hostPort(String value, String path) {
    try {
      return HostPort.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path + ": " + e.getMessage());
    }
  }

  private static Duration duration(JsonNode node, String name, Duration dflt) {
    String v = text(node, name);
    if (v == null) {
      return dflt;
    }
    try {
      return GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
  }

  private static <E extends Enum<E>> E choice(JsonNode node, String name, Class<E> type, E dflt) {
    String v = text(node, name);
    if (v == null) {
      return dflt;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.trim())) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new ConfigException(name + ": \"" + v + "\" is not valid (expected one of: " + String.join(", ", allowed) + ")");
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

  /** The YAML tag Go's decoder names in its messages. */
  private static String yamlTag(JsonNode node) {
    JsonNodeType t = node.getNodeType();
    return switch (t) {
      case ARRAY -> "!!seq";
      case OBJECT -> "!!map";
      case BOOLEAN -> "!!bool";
      case NUMBER -> node.isIntegralNumber() ? "!!int" : "!!float";
      case NULL -> "!!null";
      default -> "!!str";
    };
  }
}
