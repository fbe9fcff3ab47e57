package io.mcptunnel.edge.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every registry shares, whatever its source: lookups on one immutable snapshot published
 * through a volatile field (never half of an update, never blocked by one), and telling the
 * listeners which tunnels an update changed.
 */
abstract class SnapshotRegistry implements TunnelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotRegistry.class);

  private final List<Consumer<TunnelState>> listeners = new CopyOnWriteArrayList<>();
  private volatile TunnelSnapshot current = TunnelSnapshot.EMPTY;

  @Override
  public final Optional<TunnelState> byId(String id) {
    return current.lookupId(id);
  }

  @Override
  public final Optional<TunnelState> byDomain(String domain) {
    return current.lookupDomain(domain);
  }

  @Override
  public final void addListener(Consumer<TunnelState> onChange) {
    listeners.add(onChange);
  }

  @Override
  public final Collection<TunnelState> all() {
    return List.copyOf(current.byId().values());
  }

  final TunnelSnapshot current() {
    return current;
  }

  /** Makes {@code next} the state; returns the tunnels it changed (see {@link TunnelSnapshot#changes}). */
  final List<TunnelState> publish(TunnelSnapshot next) {
    TunnelSnapshot previous = current;
    current = next;
    return TunnelSnapshot.changes(previous, next);
  }

  /** Tells every listener of each change; one broken listener must not hide a change from the others. */
  final void announce(List<TunnelState> changed) {
    for (TunnelState state : changed) {
      for (Consumer<TunnelState> listener : listeners) {
        try {
          listener.accept(state);
        } catch (RuntimeException e) {
          LOG.atError().addKeyValue("tunnel", state.id()).setCause(e).log("tunnel registry listener failed");
        }
      }
    }
  }
}
