package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FederationRuleTest {
  private static final FederationRule.Match MATCH = new FederationRule.Match("repo:acme/*", "aud", Map.of());

  private static FederationRule rule(String id, String scope, Integer lifetime) {
    return FederationRule.of(id, "org_1", "iss_1", MATCH, "sa_1", "ws_1", scope, lifetime);
  }

  @Test
  void lifetimeDefaultsTo3600() {
    assertThat(rule("fdrl_abc", "workspace:manage_tunnels", null).tokenLifetimeSeconds()).isEqualTo(3600);
  }

  @ParameterizedTest(name = "lifetime {0} -> ok={1}")
  @CsvSource({"59, false", "60, true", "3600, true", "86400, true", "86401, false", "0, false", "-1, false"})
  void lifetimeBounds(int lifetime, boolean ok) {
    if (ok) {
      assertThat(rule("fdrl_abc", "workspace:manage_tunnels", lifetime).tokenLifetimeSeconds()).isEqualTo(lifetime);
    } else {
      assertThatThrownBy(() -> rule("fdrl_abc", "workspace:manage_tunnels", lifetime))
          .isInstanceOf(FederationConfigException.class)
          .hasMessage("token_lifetime_seconds: " + lifetime + " (expected: 60-86400)");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "fdrl_ok | workspace:manage_tunnels | ",
      "rule_1 | workspace:manage_tunnels | id: rule_1",
      "fdrl_ | workspace:manage_tunnels | id: fdrl_",
      "fdrl_a-b | workspace:manage_tunnels | id: fdrl_a-b",
      "fdrl_ok | workspace manage | ",
      "fdrl_ok | Workspace:x | scope: Workspace:x",
      "fdrl_ok | '' | scope: ",
  })
  void idAndScope(String id, String scope, String messageStart) {
    if (messageStart == null) {
      rule(id, scope, null);
    } else {
      assertThatThrownBy(() -> rule(id, scope, null)).hasMessageStartingWith(messageStart);
    }
  }

  @ParameterizedTest(name = "subject_prefix={0} claims={1}")
  @CsvSource(delimiter = '|', value = {
      "* | | match.subject_prefix: *",
      "repo:*:main | | match.subject_prefix: repo:*:main",
      "'' | | match.subject_prefix: ",
      " | | match: no subject_prefix and no claims",
  })
  void badMatch(String subjectPrefix, String unused, String messageStart) {
    assertThatThrownBy(() -> new FederationRule.Match(subjectPrefix, "aud", Map.of()))
        .isInstanceOf(FederationConfigException.class).hasMessageStartingWith(messageStart);
  }

  @Test
  void claimsAloneAreEnough_butAudienceIsRequired() {
    assertThat(new FederationRule.Match(null, "aud", Map.of("repository", "acme/app")).claims()).hasSize(1);
    assertThatThrownBy(() -> new FederationRule.Match("repo:x", null, Map.of()))
        .hasMessageStartingWith("match.audience: missing");
  }

  @Test
  void issuerUrlMustBeAPlainAbsoluteUrl() {
    new FederationIssuer("iss_1", "org_1", URI.create("https://idp.example"), JwksSource.discovery());
    assertThatThrownBy(() -> new FederationIssuer("iss_1", "org_1", URI.create("idp.example"), JwksSource.discovery()))
        .hasMessageStartingWith("issuer_url: idp.example");
    assertThatThrownBy(() -> new FederationIssuer("iss_1", "org_1", URI.create("https://idp.example?x=1"),
        JwksSource.discovery())).hasMessageStartingWith("issuer_url: ");
    assertThatThrownBy(() -> new JwksSource.ExplicitUrl(URI.create("ftp://idp.example/jwks")))
        .hasMessageStartingWith("jwks_url: ");
    assertThatThrownBy(() -> new JwksSource.Inline(" ")).hasMessageStartingWith("jwks: missing");
  }
}
