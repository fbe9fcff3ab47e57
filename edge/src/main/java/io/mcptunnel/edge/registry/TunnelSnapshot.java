package io.mcptunnel.edge.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One consistent view of every tunnel, shared by the registries: published through a volatile
 * field so lookups never see half of an update and never block on one.
 */
record TunnelSnapshot(Map<String, TunnelState> byId, Map<String, TunnelState> byDomain) {
  static final TunnelSnapshot EMPTY = of(List.of());

  static TunnelSnapshot of(Collection<TunnelState> tunnels) {
    Map<String, TunnelState> ids = new LinkedHashMap<>();
    Map<String, TunnelState> domains = new LinkedHashMap<>();
    tunnels.forEach(t -> {
      ids.put(t.id(), t);
      domains.put(t.domain(), t);
    });
    return new TunnelSnapshot(Collections.unmodifiableMap(ids), Collections.unmodifiableMap(domains));
  }

  Optional<TunnelState> lookupId(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  Optional<TunnelState> lookupDomain(String domain) {
    if (domain == null) {
      return Optional.empty();
    }
    String d = domain.toLowerCase(Locale.ROOT);
    // A fully qualified name ("x.example.") names the same host.
    return Optional.ofNullable(byDomain.get(d.endsWith(".") ? d.substring(0, d.length() - 1) : d));
  }

  /** New or different tunnels, then removed ones reported as archived (their connections must go). */
  static List<TunnelState> changes(TunnelSnapshot before, TunnelSnapshot after) {
    List<TunnelState> changed = new ArrayList<>();
    after.byId().forEach((id, t) -> {
      if (!t.equals(before.byId().get(id))) {
        changed.add(t);
      }
    });
    before.byId().forEach((id, t) -> {
      if (!after.byId().containsKey(id) && !t.archived()) {
        changed.add(t.asArchived());
      }
    });
    return changed;
  }
}
