package io.mcptunnel.connector;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link Connector} needs. Null optional parts take their defaults: the edge name is the host
 * of the first edge, trust is the system CAs, 4 connections, 30s grace, admin on 127.0.0.1:2000.
 *
 * @param token read again on every connection attempt, so a rotated token file takes effect on the
 *     next reconnect without a restart
 * @param origin the proxy's WebSocket address, {@code ws://host:port/} or {@code wss://host:port/}
 */
public record ConnectorConfig(List<InetSocketAddress> edges, String edgeServerName, Optional<Path> edgeCaFile,
    Supplier<String> token, URI origin, int haConnections, Duration gracePeriod, InetSocketAddress adminAddress) {

  public static final int DEFAULT_HA_CONNECTIONS = 4;
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(30);
  public static final int DEFAULT_ADMIN_PORT = 2000;

  public ConnectorConfig {
    if (edges == null || edges.isEmpty()) {
      throw new IllegalArgumentException("at least one edge address is needed");
    }
    edges = List.copyOf(edges);
    if (token == null || origin == null) {
      throw new IllegalArgumentException("a token source and an origin are needed");
    }
    String scheme = String.valueOf(origin.getScheme());
    if (!scheme.equals("ws") && !scheme.equals("wss") || origin.getHost() == null || origin.getPort() < 1) {
      throw new IllegalArgumentException("origin must be ws(s)://host:port/, got " + origin);
    }
    edgeServerName = edgeServerName != null ? edgeServerName : edges.get(0).getHostString();
    edgeCaFile = edgeCaFile != null ? edgeCaFile : Optional.empty();
    haConnections = haConnections > 0 ? haConnections : DEFAULT_HA_CONNECTIONS;
    gracePeriod = gracePeriod != null ? gracePeriod : DEFAULT_GRACE_PERIOD;
    adminAddress = adminAddress != null ? adminAddress
        : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), DEFAULT_ADMIN_PORT);
  }

  /** The defaults for everything but the edges, the token and the origin. */
  public static ConnectorConfig of(List<InetSocketAddress> edges, Supplier<String> token, URI origin) {
    return new ConnectorConfig(edges, null, null, token, origin, 0, null, null);
  }
}
