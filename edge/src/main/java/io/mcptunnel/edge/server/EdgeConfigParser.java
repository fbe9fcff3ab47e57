package io.mcptunnel.edge.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.edge.callers.Caller;
import io.mcptunnel.edge.server.EdgeConfig.LogFormat;
import io.mcptunnel.edge.server.EdgeConfig.LogLevel;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.tunnel.TunnelProtocol;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the edge configuration file, the same way the proxy reads its own: the YAML is walked as a
 * tree so every refusal names the field ({@code callers[0].allowed_sources}) and what is expected,
 * and unknown fields are refused, because a misspelt {@code allowed_sources} must not silently
 * open a caller to every address.
 */
public final class EdgeConfigParser {
  public static final Path DEFAULT_PATH = Path.of("/etc/mcptunnel/edge.yaml");
  public static final String DEFAULT_CONNECTOR_LISTEN = ":" + TunnelProtocol.DEFAULT_CONNECTOR_PORT;
  public static final String DEFAULT_CALLER_LISTEN = ":7845";
  public static final String DEFAULT_ADMIN_ADDR = "127.0.0.1:7846";
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  private static final Set<String> TOP = Set.of("connector_listen", "caller_listen", "admin_addr", "tls",
      "registry_file", "registry_poll_interval", "callers", "log_level", "log_format");
  private static final Set<String> TLS = Set.of("cert_file", "key_file");
  private static final Set<String> CALLER = Set.of("name", "organization", "key_sha256", "allowed_sources");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private EdgeConfigParser() {}

  /** Reads and validates a configuration file; file errors use Go's wording like the proxy's. */
  public static EdgeConfig parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new EdgeConfigException("open " + file + ": no such file or directory");
    } catch (AccessDeniedException e) {
      throw new EdgeConfigException("open " + file + ": permission denied");
    } catch (IOException e) {
      throw new EdgeConfigException("read " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Validates configuration text; {@code source} names it in messages. */
  public static EdgeConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new EdgeConfigException(source + ": invalid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new EdgeConfigException(source + ": empty configuration (expected at least tls and registry_file)");
    }
    if (!root.isObject()) {
      throw new EdgeConfigException(source + ": the configuration must be a map of fields");
    }
    checkKnown(root, "", TOP);
    JsonNode tls = section(root, "tls");
    checkKnown(tls, "tls.", TLS);

    HostPort connector = hostPort(root, "connector_listen", DEFAULT_CONNECTOR_LISTEN);
    HostPort caller = hostPort(root, "caller_listen", DEFAULT_CALLER_LISTEN);
    HostPort admin = hostPort(root, "admin_addr", DEFAULT_ADMIN_ADDR);
    distinct(connector, "connector_listen", caller, "caller_listen");
    distinct(connector, "connector_listen", admin, "admin_addr");
    distinct(caller, "caller_listen", admin, "admin_addr");
    Path cert = Path.of(required(tls, "cert_file", "tls.cert_file"));
    Path key = Path.of(required(tls, "key_file", "tls.key_file"));
    Path registry = Path.of(required(root, "registry_file", "registry_file"));
    Duration poll = pollInterval(root);
    List<Caller> callers = callers(root.get("callers"));
    LogLevel level = choice(root, "log_level", LogLevel.class, LogLevel.INFO);
    LogFormat format = choice(root, "log_format", LogFormat.class, LogFormat.JSON);
    return new EdgeConfig(connector, caller, admin, cert, key, registry, poll, callers, level, format);
  }

  private static List<Caller> callers(JsonNode list) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new EdgeConfigException("callers: cannot unmarshal " + yamlTag(list)
          + " into a list (expected a list of callers with name, organization, key_sha256)");
    }
    List<Caller> callers = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> keys = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "callers[" + i + "]";
      Caller c = caller(list.get(i), at);
      unique(names, c.name(), i, "name", "\"" + c.name() + "\"");
      // Two entries with one key would make the key's organization ambiguous; the hash is not echoed.
      unique(keys, c.keySha256(), i, "key_sha256", "key");
      callers.add(c);
    }
    return callers;
  }

  private static Caller caller(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new EdgeConfigException(at + ": cannot unmarshal " + yamlTag(node) + " into a map of fields");
    }
    checkKnown(node, at + ".", CALLER);
    String name = required(node, "name", at + ".name");
    if (!NAME.matcher(name).matches()) {
      throw new EdgeConfigException(at + ".name: \"" + name + "\" is not valid (expected 1-64 characters of [A-Za-z0-9_.-])");
    }
    String organization = required(node, "organization", at + ".organization");
    if (node.path("key_sha256").isNumber()) {
      // An all-digit hash (or one like 12e34...) reads as a number and loses its leading zeros.
      throw new EdgeConfigException(at + ".key_sha256: YAML read the value as a number; put the hash in quotes");
    }
    String hash = required(node, "key_sha256", at + ".key_sha256");
    if (!SHA256_HEX.matcher(hash).matches()) {
      // The value is not echoed: someone may have pasted the key itself here.
      throw new EdgeConfigException(at + ".key_sha256: expected 64 lowercase hex characters "
          + "(the SHA-256 of the caller key, e.g. from: printf %s \"$KEY\" | sha256sum), never the key itself");
    }
    return new Caller(name, organization, hash, sources(node.get("allowed_sources"), at + ".allowed_sources"));
  }

  private static List<Ipv4Cidr> sources(JsonNode list, String at) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new EdgeConfigException(at + ": cannot unmarshal " + yamlTag(list)
          + " into []string (expected a list of IPv4 CIDRs, e.g. [10.0.0.0/8])");
    }
    List<Ipv4Cidr> cidrs = new ArrayList<>();
    for (JsonNode item : list) {
      if (!item.isValueNode() || item.isNull()) {
        throw new EdgeConfigException(at + ": cannot unmarshal " + yamlTag(item) + " into string");
      }
      try {
        cidrs.add(Ipv4Cidr.parse(item.asText()));
      } catch (IllegalArgumentException e) {
        throw new EdgeConfigException(at + ": " + e.getMessage());
      }
    }
    return cidrs;
  }

  private static void unique(Map<String, Integer> seen, String value, int index, String field, String shown) {
    Integer first = seen.putIfAbsent(value, index);
    if (first != null) {
      throw new EdgeConfigException("callers[" + index + "]." + field + ": duplicate " + shown
          + " (also callers[" + first + "])");
    }
  }

  /** Two listeners on one port would fail at bind with a less helpful message; say which fields clash. */
  private static void distinct(HostPort a, String aName, HostPort b, String bName) {
    boolean samePort = a.port() != 0 && a.port() == b.port();
    if (samePort && (a.host().equals(b.host()) || a.anyInterface() || b.anyInterface())) {
      throw new EdgeConfigException(bName + ": \"" + b + "\" uses the same port as " + aName + " \"" + a + "\"");
    }
  }

  private static Duration pollInterval(JsonNode root) {
    String v = text(root, "registry_poll_interval", "registry_poll_interval");
    if (v == null) {
      return DEFAULT_POLL_INTERVAL;
    }
    Duration d;
    try {
      d = GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw new EdgeConfigException("registry_poll_interval: " + e.getMessage());
    }
    if (d.isZero()) {
      throw new EdgeConfigException("registry_poll_interval: must be greater than zero (e.g. 2s)");
    }
    return d;
  }

  private static void checkKnown(JsonNode node, String prefix, Set<String> known) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!known.contains(field.getKey())) {
        throw new EdgeConfigException("unknown field \"" + prefix + field.getKey() + "\" (known fields"
            + (prefix.isEmpty() ? "" : " of " + prefix.substring(0, prefix.length() - 1)) + ": "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  private static JsonNode section(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new EdgeConfigException(name + " is required (a map with cert_file and key_file)");
    }
    if (!node.isObject()) {
      throw new EdgeConfigException(name + ": cannot unmarshal " + yamlTag(node) + " into a map of fields");
    }
    return node;
  }

  private static HostPort hostPort(JsonNode node, String name, String dflt) {
    String v = text(node, name, name);
    try {
      return HostPort.parse(v == null ? dflt : v);
    } catch (IllegalArgumentException e) {
      throw new EdgeConfigException(name + ": " + e.getMessage());
    }
  }

  private static String required(JsonNode node, String name, String path) {
    String value = text(node, name, path);
    if (value == null || value.isBlank()) {
      throw new EdgeConfigException(path + " is required");
    }
    return value;
  }

  private static String text(JsonNode node, String name, String path) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw new EdgeConfigException(path + ": cannot unmarshal " + yamlTag(v) + " into string");
    }
    return v.asText();
  }

  private static <E extends Enum<E>> E choice(JsonNode node, String name, Class<E> type, E dflt) {
    String v = text(node, name, name);
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
    throw new EdgeConfigException(name + ": \"" + v + "\" is not valid (expected one of: "
        + String.join(", ", allowed) + ")");
  }

  /** The YAML tag Go's decoder names in its messages, as the proxy's parser does. */
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
