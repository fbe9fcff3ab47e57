package io.mcptunnel.controlplane.federation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the last {@code capacityPerOrganization} records of each organization in memory. Bounded
 * because anyone can post exchanges naming any organization.
 */
public final class InMemoryAuthenticationHistory implements AuthenticationHistory {
  private final int capacityPerOrganization;
  private final Map<String, Deque<AuthenticationRecord>> byOrganization = new ConcurrentHashMap<>();

  public InMemoryAuthenticationHistory(int capacityPerOrganization) {
    if (capacityPerOrganization < 1) {
      throw new IllegalArgumentException("capacityPerOrganization: " + capacityPerOrganization + " (expected: >= 1)");
    }
    this.capacityPerOrganization = capacityPerOrganization;
  }

  @Override
  public void record(AuthenticationRecord record) {
    Deque<AuthenticationRecord> q = byOrganization.computeIfAbsent(record.organizationId(), o -> new ArrayDeque<>());
    synchronized (q) {
      q.addFirst(record);
      while (q.size() > capacityPerOrganization) {
        q.removeLast();
      }
    }
  }

  @Override
  public List<AuthenticationRecord> recent(String organizationId, int limit) {
    Deque<AuthenticationRecord> q = byOrganization.get(organizationId);
    if (q == null) {
      return List.of();
    }
    List<AuthenticationRecord> out = new ArrayList<>();
    synchronized (q) {
      for (Iterator<AuthenticationRecord> it = q.iterator(); it.hasNext() && out.size() < limit; ) {
        out.add(it.next());
      }
    }
    return out;
  }
}
