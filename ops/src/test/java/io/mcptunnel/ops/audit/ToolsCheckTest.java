package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.proxy.config.RoutePolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolsCheckTest {
  @ParameterizedTest(name = "exposed {0}, allowed {1}")
  @CsvSource(delimiter = '|', textBlock = """
      add echo hello | *          | tools-unrestricted | medium | 3 tools exposed: add, echo, hello; restrict with policies.echo.allowed_tools
      echo           | *          | tools-unrestricted | medium | 1 tool exposed: echo; restrict with policies.echo.allowed_tools
      ''             | *          | -                  | -      | -
      add echo hello | echo       | -                  | -      | -
      add echo hello | add echo hello | -              | -      | -
      add echo       | echo greet | allowed-tools-stale | low   | allowed_tools names greet, which the upstream does not offer (it offers: add, echo)
      ''             | greet      | allowed-tools-stale | low   | allowed_tools names greet, which the upstream does not offer (it offers: none)
      """)
  void comparesExposedWithAllowed(String exposed, String allowed, String check, String severity, String evidence) {
    List<String> tools = exposed.isBlank() ? List.of() : Arrays.asList(exposed.split(" "));
    RoutePolicy policy = allowed.equals("*") ? RoutePolicy.NONE
        : new RoutePolicy(Optional.of(Set.of(allowed.split(" "))), false, Optional.empty(), OptionalLong.empty());
    List<Finding> found = ToolsCheck.findings("echo", tools, policy);
    if (check.equals("-")) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(check);
      assertThat(f.severity().label()).isEqualTo(severity);
      assertThat(f.evidence()).isEqualTo(evidence);
    });
  }
}
