package io.mcptunnel.ops.audit;

import static io.mcptunnel.ops.allowedips.AllowedIpsSuggestion.count;

import io.mcptunnel.ops.allowedips.AllowedIpsSuggestion;
import java.util.List;

/** SSRF defence of the proxy: validation off, the broad RFC 1918 default, or a list wider than the routes need. */
final class IpValidationCheck {
  static final String DISABLED = "ip-validation-disabled";
  static final String DEFAULT_RANGE = "allowed-ips-default";
  static final String TOO_WIDE = "allowed-ips-too-wide";

  private IpValidationCheck() {}

  static List<Finding> findings(AllowedIpsSuggestion s) {
    String need = s.suggested().isEmpty()
        ? "no route resolved to a usable IPv4 address"
        : "the routes need " + s.suggested() + " (" + count(s.suggestedCount()) + ")";
    String fix = s.suggested().isEmpty()
        ? "list your MCP servers' addresses in upstream.allowed_ips (mcptunnel proxy suggest-allowed-ips helps)"
        : "set upstream:\n  allowed_ips: " + s.suggested() + "\n(printed by mcptunnel proxy suggest-allowed-ips)";
    return switch (s.current().mode()) {
      case VALIDATION_DISABLED -> List.of(new Finding(DISABLED, Severity.CRITICAL, "upstream.disable_ip_validation",
          "disable_ip_validation is true: the proxy connects to any address, including loopback and cloud metadata; "
              + need,
          "remove disable_ip_validation and " + fix));
      case DEFAULT_PRIVATE -> List.of(new Finding(DEFAULT_RANGE, Severity.MEDIUM, "upstream.allowed_ips",
          "allowed_ips not set: the default " + s.current().allowed() + " allows " + count(s.currentCount())
              + "; " + need,
          fix));
      case ALLOW_LIST -> !s.suggested().isEmpty() && s.currentCount() > s.suggestedCount()
          ? List.of(new Finding(TOO_WIDE, Severity.MEDIUM, "upstream.allowed_ips",
              "allowed_ips " + s.current().allowed() + " allows " + count(s.currentCount()) + "; " + need,
              fix))
          : List.of();
    };
  }
}
