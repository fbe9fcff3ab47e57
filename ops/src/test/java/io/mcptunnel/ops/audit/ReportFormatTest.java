package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportFormatTest {
  static final Report REPORT = new Report(List.of(
      new Finding("require-authorization-off", Severity.LOW, "route echo", "not set", "policies:\n  echo:\n    require_authorization: true"),
      new Finding("ip-validation-disabled", Severity.CRITICAL, "upstream.disable_ip_validation", "is true", "remove it")),
      List.of(new RouteInventory("echo", "http://10.0.0.6:9000", "200 without WWW-Authenticate",
          Optional.of(List.of("add", "echo")), Optional.empty(), Optional.empty())));

  @Test
  void textIsOneBlockPerFindingMostSevereFirstThenInventoryAndSummary() {
    assertThat(ReportFormat.text(REPORT, Severity.HIGH)).isEqualTo("""
        CRITICAL  ip-validation-disabled  upstream.disable_ip_validation
          evidence: is true
          fix:      remove it

        LOW       require-authorization-off  route echo
          evidence: not set
          fix:      policies:
                      echo:
                        require_authorization: true

        inventory:
          route echo -> http://10.0.0.6:9000
            probe:         200 without WWW-Authenticate
            tools exposed: add, echo
            tools allowed: all (no allowed_tools)

        summary: 2 findings (1 critical, 0 high, 0 medium, 1 low, 0 info); fail-on high: failed
        """);
  }

  @Test
  void jsonHasStableFieldNames() {
    assertThat(ReportFormat.json(REPORT, Severity.CRITICAL).replaceAll("\\s+", "")).isEqualTo("""
        {"findings":[
        {"check":"ip-validation-disabled","severity":"critical","subject":"upstream.disable_ip_validation","evidence":"istrue","fix":"removeit"},
        {"check":"require-authorization-off","severity":"low","subject":"routeecho","evidence":"notset","fix":"policies:\\n echo:\\n require_authorization:true"}],
        "inventory":[{"route":"echo","upstream":"http://10.0.0.6:9000","probe":"200withoutWWW-Authenticate",
        "tools_exposed":["add","echo"],"tools_note":null,"tools_allowed":null}],
        "summary":{"total":2,"info":0,"low":1,"medium":0,"high":0,"critical":1,"fail_on":"critical","failed":true}}
        """.replaceAll("\\s+", ""));
  }

  @Test
  void severityThresholds() {
    assertThat(REPORT.anyAtLeast(Severity.CRITICAL)).isTrue();
    assertThat(new Report(List.of(REPORT.findings().get(1)), List.of()).anyAtLeast(Severity.MEDIUM)).isFalse();
    assertThat(Severity.parse("HIGH")).isEqualTo(Severity.HIGH);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Severity.parse("severe"))
        .hasMessage("severity: severe (expected: info, low, medium, high or critical)");
  }
}
