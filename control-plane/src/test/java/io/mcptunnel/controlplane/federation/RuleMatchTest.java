package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleMatchTest {

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
      "repo:acme/app:ref:refs/heads/main, repo:acme/app:ref:refs/heads/main, true",
      "repo:acme/app:ref:refs/heads/main, repo:acme/app:ref:refs/heads/mainX, false",
      "repo:acme/app:ref:refs/heads/main, repo:acme/app:ref:refs/heads/mai, false",
      "repo:acme/app:*, repo:acme/app:ref:refs/heads/main, true",
      "repo:acme/app:*, repo:acme/app:, true",
      "repo:acme/app:*, repo:acme/app, false",
      "repo:acme/app:*, repo:acme/apps:x, false",
      "repo:acme/app:*, REPO:acme/app:x, false",
      "repo:acme/app, repo:acme/app:*, false",  // no * in the pattern: exact, even against a literal *
  })
  void subjectPatterns(String pattern, String sub, boolean expected) {
    assertThat(RuleMatch.subjectMatches(pattern, sub)).isEqualTo(expected);
  }

  private static final FederationRule.Match MATCH =
      new FederationRule.Match("repo:acme/*", "https://mcptunnel.example", Map.of("environment", "prod"));

  @Test
  void allMatch() {
    assertThat(RuleMatch.check(MATCH, List.of("other", "https://mcptunnel.example"), "repo:acme/x",
        Map.of("environment", "prod"))).isEmpty();
  }

  @Test
  void eachMismatchHasItsCause() {
    assertThat(cause(List.of("https://mcptunnel.example/"), "repo:acme/x", Map.of("environment", "prod")))
        .isEqualTo(FailureCause.AUDIENCE_MISMATCH);
    assertThat(cause(null, "repo:acme/x", Map.of("environment", "prod"))).isEqualTo(FailureCause.AUDIENCE_MISMATCH);
    assertThat(cause(List.of("https://mcptunnel.example"), "repo:other/x", Map.of("environment", "prod")))
        .isEqualTo(FailureCause.SUBJECT_MISMATCH);
    assertThat(cause(List.of("https://mcptunnel.example"), "repo:acme/x", Map.of("environment", "Prod")))
        .isEqualTo(FailureCause.CLAIMS_MISMATCH);
    assertThat(cause(List.of("https://mcptunnel.example"), "repo:acme/x", Map.of()))
        .isEqualTo(FailureCause.CLAIMS_MISMATCH);
    // A list containing the value is not the string value.
    assertThat(cause(List.of("https://mcptunnel.example"), "repo:acme/x", Map.of("environment", List.of("prod"))))
        .isEqualTo(FailureCause.CLAIMS_MISMATCH);
  }

  private static FailureCause cause(List<String> aud, String sub, Map<String, Object> claims) {
    return RuleMatch.check(MATCH, aud, sub, claims).orElseThrow().cause();
  }
}
