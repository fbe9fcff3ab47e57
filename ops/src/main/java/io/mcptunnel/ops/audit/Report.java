package io.mcptunnel.ops.audit;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The audit's result: findings, most severe first (stable otherwise), and the route inventory. */
public record Report(List<Finding> findings, List<RouteInventory> inventory) {
  public Report {
    findings = findings.stream()
        .sorted(Comparator.comparing(Finding::severity).reversed())
        .toList();
    inventory = List.copyOf(inventory);
  }

  public boolean anyAtLeast(Severity threshold) {
    return findings.stream().anyMatch(f -> f.severity().atLeast(threshold));
  }

  /** Count per severity, every severity present (zero when none). */
  public Map<Severity, Integer> counts() {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
    return counts;
  }
}
