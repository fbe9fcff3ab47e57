package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequireAuthorizationCheckTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      ''                                                    | true
      'policies: {echo: {allowed_tools: [echo]}}'           | true
      'policies: {echo: {require_authorization: false}}'    | true
      'policies: {echo: {require_authorization: true}}'     | false
      """)
  void aRouteWithoutRequireAuthorizationIsLow(String policies, boolean finding) {
    var config = Configs.parse(dir, """
        tunnel_domain: t1.example
        routes:
          echo: http://10.0.0.6:9000
        """ + policies);
    var found = RequireAuthorizationCheck.findings(config);
    if (!finding) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo("require-authorization-off");
      assertThat(f.severity()).isEqualTo(Severity.LOW);
      assertThat(f.subject()).isEqualTo("route echo");
      assertThat(f.fix()).isEqualTo("policies:\n  echo:\n    require_authorization: true");
    });
  }
}
