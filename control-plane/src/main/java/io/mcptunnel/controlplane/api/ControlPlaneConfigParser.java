package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.config.StrictYaml;
import io.mcptunnel.controlplane.tunnels.TunnelServiceConfig;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the control-plane configuration file strictly, like the edge's and the proxy's: unknown
 * fields are refused and every refusal names the field. The database password is never in the
 * file: {@code database_password_env} names the environment variable that holds it.
 */
public final class ControlPlaneConfigParser {
  public static final Path DEFAULT_PATH = Path.of("/etc/mcptunnel/control-plane.yaml");
  /** Loopback by default: the listener speaks plain HTTP until TLS is configured in front of it. */
  public static final String DEFAULT_LISTEN = "127.0.0.1:7850";
  public static final String DEFAULT_DATA_DIR = "/var/lib/mcptunnel/control-plane";

  public enum LogLevel { DEBUG, INFO, WARN, ERROR }

  public enum LogFormat { JSON, TEXT }

  /** The server settings and the process's logging settings. */
  public record Parsed(ControlPlaneConfig config, LogLevel logLevel, LogFormat logFormat) {}

  private static final Set<String> TOP = Set.of("listen", "data_dir", "database_url", "database_password_env",
      "tunnel_zone", "max_active_tunnels_per_org", "tls", "log_level", "log_format");
  private static final Set<String> TLS = Set.of("cert_file", "key_file");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final StrictYaml Y = new StrictYaml(ControlPlaneConfigException::new);

  private ControlPlaneConfigParser() {}

  public static Parsed parse(Path file, UnaryOperator<String> env) {
    return parse(Y.readFile(file), file.toString(), env);
  }

  public static Parsed parse(String yaml, String source, UnaryOperator<String> env) {
    JsonNode root = Y.readMap(yaml, source, "at least tunnel_zone");
    Y.checkKnown(root, "", TOP);
    String listenText = Y.text(root, "listen", "listen");
    HostPort listen = Y.hostPort(listenText == null ? DEFAULT_LISTEN : listenText, "listen");
    String dataDir = Y.text(root, "data_dir", "data_dir");
    String url = Y.text(root, "database_url", "database_url");
    if (url != null && !url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      // The URL is not echoed: it may carry credentials.
      throw new ControlPlaneConfigException("database_url: expected a jdbc:postgresql:// or jdbc:h2: URL");
    }
    String password = password(root, url, env);
    String zone = Y.required(root, "tunnel_zone", "tunnel_zone");
    int max = maxActive(root);
    try {
      TunnelServiceConfig.of(zone, new byte[32]); // the zone rule lives there; run it now, not at start
    } catch (IllegalArgumentException e) {
      throw new ControlPlaneConfigException("tunnel_zone: \"" + zone
          + "\" is not valid (expected a lowercase DNS name such as tunnels.example.com)");
    }
    ControlPlaneConfig config = new ControlPlaneConfig(listen.toSocketAddress(),
        Path.of(dataDir == null ? DEFAULT_DATA_DIR : dataDir), url, password, zone, max, tls(root));
    return new Parsed(config, Y.choice(root, "log_level", LogLevel.class, LogLevel.INFO),
        Y.choice(root, "log_format", LogFormat.class, LogFormat.JSON));
  }

  /** Optional as a whole; once the section is there, both files are required. */
  private static ControlPlaneConfig.TlsFiles tls(JsonNode root) {
    JsonNode node = root.get("tls");
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode section = Y.section(root, "tls", TLS);
    return new ControlPlaneConfig.TlsFiles(Path.of(Y.required(section, "cert_file", "tls.cert_file")),
        Path.of(Y.required(section, "key_file", "tls.key_file")));
  }

  private static String password(JsonNode root, String url, UnaryOperator<String> env) {
    String name = Y.text(root, "database_password_env", "database_password_env");
    if (name == null) {
      return null;
    }
    if (url == null) {
      throw new ControlPlaneConfigException("database_password_env: needs database_url (the embedded database has no password)");
    }
    if (!ENV_NAME.matcher(name).matches()) {
      throw new ControlPlaneConfigException("database_password_env: \"" + name
          + "\" is not valid (expected the name of an environment variable, e.g. MCPTUNNEL_DB_PASSWORD)");
    }
    String value = env.apply(name);
    if (value == null || value.isEmpty()) {
      throw new ControlPlaneConfigException("database_password_env: environment variable " + name + " is not set");
    }
    return value;
  }

  private static int maxActive(JsonNode root) {
    JsonNode v = root.get("max_active_tunnels_per_org");
    if (v == null || v.isNull()) {
      return TunnelServiceConfig.DEFAULT_MAX_ACTIVE_TUNNELS;
    }
    if (!v.isInt() || v.intValue() < 1) {
      throw new ControlPlaneConfigException("max_active_tunnels_per_org: \"" + v.asText()
          + "\" is not valid (expected a whole number of at least 1)");
    }
    return v.intValue();
  }
}
