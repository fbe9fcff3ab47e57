package io.mcptunnel.ops.audit;

import io.mcptunnel.proxy.config.RoutePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Scope of each route: which tools callers reach, against {@code policies.<route>.allowed_tools}. */
final class ToolsCheck {
  static final String UNRESTRICTED = "tools-unrestricted";
  static final String STALE = "allowed-tools-stale";

  private ToolsCheck() {}

  /** @param exposed the tools the upstream lists (sorted) */
  static List<Finding> findings(String route, List<String> exposed, RoutePolicy policy) {
    String subject = "route " + route;
    if (policy.allowedTools().isEmpty()) {
      if (exposed.isEmpty()) {
        return List.of();
      }
      return List.of(new Finding(UNRESTRICTED, Severity.MEDIUM, subject,
          exposed.size() + (exposed.size() == 1 ? " tool" : " tools") + " exposed: " + String.join(", ", exposed)
              + "; restrict with policies." + route + ".allowed_tools",
          "policies:\n  " + route + ":\n    allowed_tools: [" + String.join(", ", exposed)
              + "]  # keep only the tools callers need"));
    }
    Set<String> missing = new TreeSet<>(policy.allowedTools().get());
    missing.removeAll(exposed);
    List<Finding> out = new ArrayList<>();
    if (!missing.isEmpty()) {
      out.add(new Finding(STALE, Severity.LOW, subject,
          "allowed_tools names " + String.join(", ", missing) + ", which the upstream does not offer (it offers: "
              + (exposed.isEmpty() ? "none" : String.join(", ", exposed)) + ")",
          "remove " + String.join(", ", missing) + " from policies." + route + ".allowed_tools"));
    }
    return out;
  }
}
