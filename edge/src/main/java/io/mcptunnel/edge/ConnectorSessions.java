package io.mcptunnel.edge;

import io.mcptunnel.edge.registry.TunnelState;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live connector connections of each tunnel, each with the token id that admitted it, and the
 * choice of one for a new stream.
 */
public final class ConnectorSessions {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorSessions.class);
  private static final AttributeKey<String> TOKEN_ID = AttributeKey.valueOf("mcptunnel.token_id");

  private final Map<String, List<Channel>> byTunnel = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  /** Registers a connection admitted with {@code tokenId} (an id, never the token). */
  void add(String tunnelId, String tokenId, Channel connection) {
    connection.attr(TOKEN_ID).set(tokenId);
    List<Channel> list = byTunnel.computeIfAbsent(tunnelId, k -> new CopyOnWriteArrayList<>());
    list.add(connection);
    connection.closeFuture().addListener(f -> list.remove(connection));
  }

  /** A live connection of the tunnel that accepts new streams, round robin; empty when none. */
  public Optional<Channel> pick(String tunnelId) {
    List<Channel> list = byTunnel.getOrDefault(tunnelId, List.of());
    int n = list.size();
    for (int i = 0; i < n; i++) {
      Channel c = list.get(Math.floorMod(next.getAndIncrement(), Math.max(n, 1)));
      if (c.isActive() && !c.hasAttr(Draining.KEY)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  public int count(String tunnelId) {
    return connections(tunnelId).size();
  }

  /** The tunnel's live connector connections right now, in registration order. */
  public List<Channel> connections(String tunnelId) {
    return byTunnel.getOrDefault(tunnelId, List.of()).stream().filter(Channel::isActive).toList();
  }

  /**
   * Applies a state change: an archived tunnel loses every connection at once; otherwise the
   * connections admitted with a severed token go and those of other tokens stay.
   */
  public void onChange(TunnelState state) {
    List<Channel> severed = byTunnel.getOrDefault(state.id(), List.of()).stream()
        .filter(c -> state.severs(c.attr(TOKEN_ID).get())).toList();
    if (!severed.isEmpty() && !state.archived()) {
      LOG.atInfo().addKeyValue("tunnel", state.id()).addKeyValue("connections", severed.size())
          .log("severing connector connections of a severed token");
    }
    severed.forEach(Channel::close);
  }

  /** Marks connections that asked not to get new streams (connector draining). */
  static final class Draining {
    static final io.netty.util.AttributeKey<Boolean> KEY = io.netty.util.AttributeKey.valueOf("mcptunnel.draining");

    private Draining() {}
  }
}
