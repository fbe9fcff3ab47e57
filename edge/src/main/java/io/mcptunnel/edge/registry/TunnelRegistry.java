package io.mcptunnel.edge.registry;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The edge's source of tunnel state: {@link FileTunnelRegistry} (a YAML file) or
 * {@link ControlPlaneTunnelRegistry} (the control plane's edge feed), chosen by the configuration.
 * Implementations are thread-safe and never block lookups on a reload.
 */
public interface TunnelRegistry {

  Optional<TunnelState> byId(String id);

  /** The tunnel owning exactly this domain (not a route under it); case-insensitive. */
  Optional<TunnelState> byDomain(String domain);

  /**
   * Called once for each tunnel whose state changed, with the new state, so the edge can sever an
   * archived tunnel's connections. A tunnel that disappears is reported as archived. Listeners run
   * on the registry's thread and must not block.
   */
  void addListener(Consumer<TunnelState> onChange);

  /** Every tunnel currently known, archived ones included. */
  Collection<TunnelState> all();
}
