package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.mcptunnel.tunnel.TunnelToken;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mcptunnel connector run}: keeps outbound connections to the edges and relays their
 * streams to the proxy until SIGTERM/SIGINT, then drains for up to {@code --grace-period}. It
 * listens only on the admin address. The token is never printed or logged.
 */
@Command(name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Run the connector until SIGTERM or SIGINT, then drain gracefully.",
        "The tunnel token comes from the TUNNEL_TOKEN environment variable or --token-file (exactly one)."})
public final class ConnectorRunCommand implements Callable<Integer> {
  static final String TOKEN_ENV = "TUNNEL_TOKEN";
  /** Where {@value #TOKEN_ENV} is looked up; a seam so tests need not touch the real environment. */
  static Function<String, String> environment = System::getenv;

  @Option(names = "--url", required = true, paramLabel = "URL",
      description = "The proxy's listener, http://host:port (https:// if it is behind TLS).")
  String url;

  @Option(names = "--edge", required = true, paramLabel = "HOST:PORT",
      description = "An edge's connector address (port default " + TunnelProtocol.DEFAULT_CONNECTOR_PORT
          + "); repeat for several edges.")
  List<String> edges;

  @Option(names = "--edge-ca", paramLabel = "FILE",
      description = "PEM CA certificate(s) trusted for the edge's certificate (default: the system CAs).")
  Path edgeCa;

  @Option(names = "--edge-name", paramLabel = "NAME",
      description = "Name the edge's certificate must carry, also sent as SNI (default: host of the first --edge).")
  String edgeName;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the tunnel token; read again on every connection attempt, so a rotated "
          + "token applies on reconnect. Alternative to " + TOKEN_ENV + ".")
  Path tokenFile;

  @Option(names = "--ha-connections", paramLabel = "N", defaultValue = "4",
      description = "Edge connections to keep, spread over the edge addresses (default: ${DEFAULT-VALUE}).")
  int haConnections;

  @Option(names = "--grace-period", paramLabel = "DURATION", defaultValue = "30s",
      converter = GoDurationConverter.class,
      description = "How long in-flight streams may finish after SIGTERM (default: ${DEFAULT-VALUE}).")
  Duration gracePeriod;

  @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:2000",
      description = "Address for /ready and /metrics, the only port the connector listens on "
          + "(default: ${DEFAULT-VALUE}).")
  String admin;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "json",
      description = "Log format, json or text (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info", converter = LevelConverter.class,
      description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}).")
  Level logLevel;

  @Option(names = "--pid-file", paramLabel = "FILE",
      description = "Write this process's id here (atomically) and remove it on a clean exit; "
          + "mcptunnel incident/teardown --pid-file stop it.")
  Path pidFile;

  @Override
  public Integer call() throws Exception {
    ConnectorConfig config = config();
    LogSetup.configure(logLevel, logFormat);
    Runnable removePidFile = PidFile.write(pidFile);
    try {
      return RunUntilSignal.run(() -> Connector.start(config), connector -> {
        boolean clean = connector.drain();
        removePidFile.run();
        return clean;
      }, Connector::stopped);
    } finally {
      removePidFile.run();
    }
  }

  /** Everything is checked before logging is set up or a socket opened: a bad flag costs nothing. */
  ConnectorConfig config() {
    Supplier<String> token = tokenSource();
    token.get(); // fail now, not on the first attempt, if the token is missing or malformed
    List<InetSocketAddress> edgeAddresses = edges.stream().map(e -> hostPort("--edge", e, true)).toList();
    if (haConnections < 1) {
      throw new McptunnelException("--ha-connections must be at least 1");
    }
    if (edgeCa != null && !Files.isReadable(edgeCa)) {
      throw new McptunnelException("--edge-ca " + edgeCa + ": cannot read the file");
    }
    InetSocketAddress adminAddress = hostPort("--admin", admin, false);
    if (adminAddress.isUnresolved()) {
      throw new McptunnelException("--admin " + admin + ": unknown host");
    }
    return new ConnectorConfig(edgeAddresses, edgeName, Optional.ofNullable(edgeCa), token, origin(url),
        haConnections, gracePeriod, adminAddress);
  }

  private Supplier<String> tokenSource() {
    String fromEnv = environment.apply(TOKEN_ENV);
    boolean env = fromEnv != null && !fromEnv.isBlank();
    if (env == (tokenFile != null)) {
      throw new McptunnelException(env
          ? "the tunnel token is given twice: set " + TOKEN_ENV + " or pass --token-file, not both"
          : "no tunnel token: set " + TOKEN_ENV + " or pass --token-file FILE");
    }
    if (env) {
      String token = checked(fromEnv.strip(), TOKEN_ENV);
      return () -> token;
    }
    Path file = tokenFile;
    return () -> {
      try {
        return checked(Files.readString(file).strip(), "--token-file " + file);
      } catch (IOException e) {
        // The exception's own message is the path at most; the content is never quoted.
        throw new McptunnelException("--token-file " + file + ": cannot read (" + e.getClass().getSimpleName() + ")");
      }
    };
  }

  private static String checked(String token, String source) {
    if (TunnelToken.parse(token).isEmpty()) {
      throw new McptunnelException(source + " does not hold a tunnel token");
    }
    return token;
  }

  /** {@code http(s)://host:port} to the proxy's WebSocket address {@code ws(s)://host:port/}. */
  static URI origin(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new McptunnelException("--url: not a URL; expected http://host:port");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new McptunnelException("--url: the scheme must be http or https, as in http://localhost:8080");
    }
    if (u.getHost() == null || u.getRawUserInfo() != null) {
      throw new McptunnelException("--url: expected http(s)://host:port, with a host and no user info");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null
        || u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")) {
      throw new McptunnelException("--url: expected http(s)://host:port with no path, query or fragment");
    }
    boolean tls = scheme.equals("https");
    int port = u.getPort() > 0 ? u.getPort() : tls ? 443 : 80;
    return URI.create((tls ? "wss" : "ws") + "://" + hostLiteral(u.getHost()) + ":" + port + "/");
  }

  /**
   * {@code host[:port]} or {@code [v6]:port}. Edge names stay unresolved so each connection attempt
   * resolves them afresh (an edge behind DNS can move).
   */
  static InetSocketAddress hostPort(String flag, String value, boolean edge) {
    URI u;
    try {
      u = new URI("tcp://" + value);
    } catch (URISyntaxException e) {
      u = null;
    }
    if (u == null || u.getHost() == null || u.getRawUserInfo() != null || !u.getRawPath().isEmpty()
        || u.getRawQuery() != null || u.getRawFragment() != null || !edge && u.getPort() < 0) {
      throw new McptunnelException(flag + " " + value + ": expected HOST:PORT");
    }
    String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
    int port = u.getPort() >= 0 ? u.getPort() : TunnelProtocol.DEFAULT_CONNECTOR_PORT;
    if (port < 1 || port > 65535) {
      throw new McptunnelException(flag + " " + value + ": port out of range");
    }
    return edge ? InetSocketAddress.createUnresolved(host, port) : new InetSocketAddress(host, port);
  }

  private static String hostLiteral(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Log levels by name; Logback's own parser would turn a typo into DEBUG. */
  static final class LevelConverter implements ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      Level level = Level.toLevel(value, null);
      if (level == null || level == Level.ALL || level == Level.OFF) {
        throw new TypeConversionException("\"" + value + "\" is not one of trace, debug, info, warn, error");
      }
      return level;
    }
  }
}
