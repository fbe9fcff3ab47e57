package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SsoCheckTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      {"id":"org_1","display_name":"Acme","sso_required":true}  | -
      {"id":"org_1","display_name":"Acme","sso_required":false} | sso_required is false: members may sign in to the console without the organization's SSO
      {"id":"org_1","display_name":"Acme"}                      | sso_required is not set: members may sign in to the console without the organization's SSO
      """)
  void organizationsWithoutSsoRequiredAreMedium(String json, String evidence) throws Exception {
    var found = SsoCheck.findings(java.util.List.of(new ObjectMapper().readTree(json)));
    if (evidence.equals("-")) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo("sso-not-required");
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
      assertThat(f.subject()).isEqualTo("organization org_1 (Acme)");
      assertThat(f.evidence()).isEqualTo(evidence);
      assertThat(f.fix()).isEqualTo("mcptunnel admin org update org_1 --sso-required");
    });
  }
}
