package io.mcptunnel.edge.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.common.LoopbackHosts;
import io.mcptunnel.config.StrictYaml;
import io.mcptunnel.edge.callers.Caller;
import io.mcptunnel.edge.server.EdgeConfig.LogFormat;
import io.mcptunnel.edge.server.EdgeConfig.LogLevel;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.mcptunnel.edge.server.EdgeConfig.ControlPlane;
import io.mcptunnel.edge.server.EdgeConfig.RegistryFile;
import io.mcptunnel.edge.server.EdgeConfig.TunnelSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
      "caller_tls", "registry_file", "registry_poll_interval", "control_plane", "callers", "log_level", "log_format");
  private static final Set<String> CONTROL_PLANE = Set.of("url", "credential_file", "ca_file");
  private static final Set<String> TLS = Set.of("cert_file", "key_file");
  private static final Set<String> CALLER_TLS = Set.of("client_ca_file");
  private static final Set<String> CALLER = Set.of("name", "organization", "key_sha256", "certificate_sha256",
      "allowed_sources");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private static final StrictYaml Y = new StrictYaml(EdgeConfigException::new);

  private EdgeConfigParser() {}

  /** Reads and validates a configuration file; file errors use Go's wording like the proxy's. */
  public static EdgeConfig parse(Path file) {
    return parse(Y.readFile(file), file.toString());
  }

  /** Validates configuration text; {@code source} names it in messages. */
  public static EdgeConfig parse(String yaml, String source) {
    JsonNode root = Y.readMap(yaml, source, "at least tls and registry_file or control_plane");
    Y.checkKnown(root, "", TOP);
    JsonNode tls = section(root, "tls");

    HostPort connector = hostPort(root, "connector_listen", DEFAULT_CONNECTOR_LISTEN);
    HostPort caller = hostPort(root, "caller_listen", DEFAULT_CALLER_LISTEN);
    HostPort admin = hostPort(root, "admin_addr", DEFAULT_ADMIN_ADDR);
    distinct(connector, "connector_listen", caller, "caller_listen");
    distinct(connector, "connector_listen", admin, "admin_addr");
    distinct(caller, "caller_listen", admin, "admin_addr");
    Path cert = Path.of(Y.required(tls, "cert_file", "tls.cert_file"));
    Path key = Path.of(Y.required(tls, "key_file", "tls.key_file"));
    Optional<Path> callerCas = callerClientCaFile(root);
    TunnelSource tunnels = tunnelSource(root);
    List<Caller> callers = callers(root.get("callers"), callerCas.isPresent());
    LogLevel level = Y.choice(root, "log_level", LogLevel.class, LogLevel.INFO);
    LogFormat format = Y.choice(root, "log_format", LogFormat.class, LogFormat.JSON);
    return new EdgeConfig(connector, caller, admin, cert, key, callerCas, tunnels, callers, level, format);
  }

  /** Exactly one of registry_file and control_plane: two sources of truth would disagree. */
  private static TunnelSource tunnelSource(JsonNode root) {
    boolean file = present(root, "registry_file");
    boolean controlPlane = present(root, "control_plane");
    if (file && controlPlane) {
      throw new EdgeConfigException("registry_file and control_plane: set only one of the two "
          + "(tunnel state comes from the file or from the control plane, not both)");
    }
    if (!file && !controlPlane) {
      throw new EdgeConfigException("registry_file or control_plane is required "
          + "(where the edge gets its tunnel state)");
    }
    if (file) {
      return new RegistryFile(Path.of(Y.required(root, "registry_file", "registry_file")), pollInterval(root));
    }
    if (present(root, "registry_poll_interval")) {
      throw new EdgeConfigException("registry_poll_interval: only applies to registry_file "
          + "(the control plane pushes changes over a long poll)");
    }
    JsonNode section = Y.section(root, "control_plane", CONTROL_PLANE);
    URI url = controlPlaneUrl(Y.required(section, "url", "control_plane.url"));
    Path credential = Path.of(Y.required(section, "credential_file", "control_plane.credential_file"));
    String ca = Y.text(section, "ca_file", "control_plane.ca_file");
    if (ca != null && url.getScheme().equals("http")) {
      throw new EdgeConfigException("control_plane.ca_file: only applies to an https:// url");
    }
    return new ControlPlane(url, credential, Optional.ofNullable(ca).map(Path::of));
  }

  private static boolean present(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /**
   * An http(s) base URL without path, query or user info. Plain http only to this machine: the
   * edge's credential travels in every request and must not cross a network in clear.
   */
  static URI controlPlaneUrl(String value) {
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      throw new EdgeConfigException("control_plane.url: \"" + value + "\" is not a valid URL ("
          + e.getReason() + ")");
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new EdgeConfigException("control_plane.url: \"" + value
          + "\" must start with https:// (e.g. https://cp.internal:7850)");
    }
    if (url.getHost() == null || url.getRawUserInfo() != null) {
      throw new EdgeConfigException("control_plane.url: \"" + value
          + "\" must be https://host[:port] (no user info)");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    if (!(path.isEmpty() || path.equals("/")) || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new EdgeConfigException("control_plane.url: \"" + value
          + "\" must be the control plane's base URL without path, query or fragment (e.g. https://cp.internal:7850)");
    }
    if (scheme.equals("http") && !LoopbackHosts.isLoopback(url.getHost())) {
      throw new EdgeConfigException("control_plane.url: \"" + value + "\" uses http:// to a host that is not "
          + "this machine; the edge credential would travel in clear. Use https:// (http:// is only allowed to "
          + "localhost or a loopback IP address)");
    }
    return URI.create(scheme + "://" + url.getRawAuthority());
  }

  /** Optional as a whole; once the section is there, the file is what it is for. */
  private static Optional<Path> callerClientCaFile(JsonNode root) {
    JsonNode node = root.get("caller_tls");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    JsonNode section = Y.section(root, "caller_tls", CALLER_TLS);
    return Optional.of(Path.of(Y.required(section, "client_ca_file", "caller_tls.client_ca_file")));
  }

  private static List<Caller> callers(JsonNode list, boolean callerCas) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new EdgeConfigException("callers: cannot unmarshal " + StrictYaml.tag(list)
          + " into a list (expected a list of callers with name, organization, key_sha256 or certificate_sha256)");
    }
    List<Caller> callers = new ArrayList<>();
    Map<String, Integer> names = new HashMap<>();
    Map<String, Integer> keys = new HashMap<>();
    Map<String, Integer> certificates = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      String at = "callers[" + i + "]";
      Caller c = caller(list.get(i), at);
      unique(names, c.name(), i, "name", "\"" + c.name() + "\"");
      // Two entries with one key would make the key's organization ambiguous; the hash is not echoed.
      unique(keys, c.keySha256(), i, "key_sha256", "key");
      unique(certificates, c.certificateSha256(), i, "certificate_sha256", "certificate");
      if (c.usesCertificate() && !callerCas) {
        throw new EdgeConfigException(at + ".certificate_sha256: needs caller_tls.client_ca_file "
            + "(the CA certificates that issue caller certificates), so that the edge asks for a client certificate");
      }
      callers.add(c);
    }
    return callers;
  }

  private static Caller caller(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new EdgeConfigException(at + ": cannot unmarshal " + StrictYaml.tag(node) + " into a map of fields");
    }
    Y.checkKnown(node, at + ".", CALLER);
    String name = Y.required(node, "name", at + ".name");
    if (!NAME.matcher(name).matches()) {
      throw new EdgeConfigException(at + ".name: \"" + name + "\" is not valid (expected 1-64 characters of [A-Za-z0-9_.-])");
    }
    String organization = Y.required(node, "organization", at + ".organization");
    String key = sha256(node, "key_sha256", at,
        "(the SHA-256 of the caller key, e.g. from: printf %s \"$KEY\" | sha256sum), never the key itself");
    String certificate = sha256(node, "certificate_sha256", at,
        "(the SHA-256 of the caller's certificate in DER form, e.g. from: openssl x509 -in caller.crt -outform DER"
            + " | sha256sum)");
    if (key == null && certificate == null) {
      throw new EdgeConfigException(at + ": key_sha256 or certificate_sha256 is required "
          + "(the caller proves who it is with a caller key, a client certificate, or either of the two)");
    }
    return new Caller(name, organization, key, certificate, sources(node.get("allowed_sources"), at + ".allowed_sources"));
  }

  /** An optional SHA-256 in lowercase hex; {@code expected} ends the refusal, saying where the value comes from. */
  private static String sha256(JsonNode node, String field, String at, String expected) {
    if (node.path(field).isNumber()) {
      // An all-digit hash (or one like 12e34...) reads as a number and loses its leading zeros.
      throw new EdgeConfigException(at + "." + field + ": YAML read the value as a number; put the hash in quotes");
    }
    String hash = Y.text(node, field, at + "." + field);
    if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
      // The value is not echoed: someone may have pasted a key here.
      throw new EdgeConfigException(at + "." + field + ": expected 64 lowercase hex characters " + expected);
    }
    return hash;
  }

  private static List<Ipv4Cidr> sources(JsonNode list, String at) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new EdgeConfigException(at + ": cannot unmarshal " + StrictYaml.tag(list)
          + " into []string (expected a list of IPv4 CIDRs, e.g. [10.0.0.0/8])");
    }
    List<Ipv4Cidr> cidrs = new ArrayList<>();
    for (JsonNode item : list) {
      if (!item.isValueNode() || item.isNull()) {
        throw new EdgeConfigException(at + ": cannot unmarshal " + StrictYaml.tag(item) + " into string");
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
    if (value == null) {
      return;
    }
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
    Duration d = Y.duration(root, "registry_poll_interval", "registry_poll_interval", DEFAULT_POLL_INTERVAL);
    if (d.isZero()) {
      throw new EdgeConfigException("registry_poll_interval: must be greater than zero (e.g. 2s)");
    }
    return d;
  }

  /** {@code tls} is required here, unlike in the proxy's file where it is checked field by field. */
  private static JsonNode section(JsonNode parent, String name) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new EdgeConfigException(name + " is required (a map with cert_file and key_file)");
    }
    return Y.section(parent, name, TLS);
  }

  private static HostPort hostPort(JsonNode node, String name, String dflt) {
    String v = Y.text(node, name, name);
    return Y.hostPort(v == null ? dflt : v, name);
  }
}
