package io.mcptunnel.ops.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The report as aligned text or as JSON (field names documented in docs/audit.md; keep them stable). */
public final class ReportFormat {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportFormat() {}

  public static String text(Report r, Severity failOn) {
    StringBuilder out = new StringBuilder();
    for (Finding f : r.findings()) {
      out.append(String.format("%-8s  %s  %s%n", f.severity().label().toUpperCase(java.util.Locale.ROOT), f.check(), f.subject()));
      out.append("  evidence: ").append(indent(f.evidence())).append('\n');
      out.append("  fix:      ").append(indent(f.fix())).append("\n\n");
    }
    if (!r.inventory().isEmpty()) {
      out.append("inventory:\n");
      for (RouteInventory i : r.inventory()) {
        out.append("  route ").append(i.route()).append(" -> ").append(i.upstream()).append('\n');
        out.append("    probe:         ").append(i.probe()).append('\n');
        out.append("    tools exposed: ").append(i.toolsExposed().map(ReportFormat::names)
            .orElse(i.toolsNote().orElse("not listed"))).append('\n');
        out.append("    tools allowed: ").append(i.toolsAllowed().map(ReportFormat::names)
            .orElse("all (no allowed_tools)")).append('\n');
      }
      out.append('\n');
    }
    out.append(summary(r, failOn)).append('\n');
    return out.toString();
  }

  /** {@code summary: 3 findings (1 critical, 0 high, 2 medium, 0 low, 0 info); fail-on high: failed} */
  public static String summary(Report r, Severity failOn) {
    Map<Severity, Integer> c = r.counts();
    int n = r.findings().size();
    return "summary: " + n + (n == 1 ? " finding" : " findings") + " (" + c.get(Severity.CRITICAL) + " critical, "
        + c.get(Severity.HIGH) + " high, " + c.get(Severity.MEDIUM) + " medium, " + c.get(Severity.LOW) + " low, "
        + c.get(Severity.INFO) + " info); fail-on " + failOn.label() + ": " + (r.anyAtLeast(failOn) ? "failed" : "passed");
  }

  public static String json(Report r, Severity failOn) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode findings = root.putArray("findings");
    for (Finding f : r.findings()) {
      findings.addObject()
          .put("check", f.check())
          .put("severity", f.severity().label())
          .put("subject", f.subject())
          .put("evidence", f.evidence())
          .put("fix", f.fix());
    }
    ArrayNode inventory = root.putArray("inventory");
    for (RouteInventory i : r.inventory()) {
      ObjectNode n = inventory.addObject().put("route", i.route()).put("upstream", i.upstream()).put("probe", i.probe());
      list(n, "tools_exposed", i.toolsExposed());
      n.put("tools_note", i.toolsNote().orElse(null));
      list(n, "tools_allowed", i.toolsAllowed());
    }
    ObjectNode summary = root.putObject("summary");
    summary.put("total", r.findings().size());
    r.counts().forEach((s, count) -> summary.put(s.label(), count));
    summary.put("fail_on", failOn.label());
    summary.put("failed", r.anyAtLeast(failOn));
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void list(ObjectNode n, String field, Optional<List<String>> values) {
    if (values.isEmpty()) {
      n.putNull(field);
    } else {
      values.get().forEach(n.putArray(field)::add);
    }
  }

  private static String names(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** Continuation lines (YAML snippets in a fix) line up under the first. */
  private static String indent(String text) {
    return text.replace("\n", "\n            ");
  }
}
