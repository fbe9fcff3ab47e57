package io.mcptunnel.edge;

import io.mcptunnel.edge.registry.TunnelState;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The live connector connections of each tunnel, and the choice of one for a new stream. */
public final class ConnectorSessions {
  private final Map<String, List<Channel>> byTunnel = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();

  void add(String tunnelId, Channel connection) {
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

  /** Applies a state change: an archived tunnel loses every connection at once. */
  public void onChange(TunnelState state) {
    if (state.archived()) {
      List<Channel> list = byTunnel.getOrDefault(state.id(), List.of());
      list.forEach(Channel::close);
    }
  }

  /** Marks connections that asked not to get new streams (connector draining). */
  static final class Draining {
    static final io.netty.util.AttributeKey<Boolean> KEY = io.netty.util.AttributeKey.valueOf("mcptunnel.draining");

    private Draining() {}
  }
}
