package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FederationCredentialsTest {
  @TempDir
  Path tmp;

  static Map<String, String> base() {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_FEDERATION_RULE_ID", "fdrl_1");
    env.put("ANTHROPIC_ORGANIZATION_ID", "org_1");
    return env;
  }

  @Test
  void readsTheInlineToken() {
    Map<String, String> env = base();
    env.put("ANTHROPIC_IDENTITY_TOKEN", "eyJ.secret.jwt\n");
    env.put("ANTHROPIC_WORKSPACE_ID", "ws_1");
    FederationCredentials c = FederationCredentials.fromEnvironment(env::get);
    assertThat(c).isEqualTo(new FederationCredentials("fdrl_1", "org_1", "ws_1", "eyJ.secret.jwt"));
    assertThat(c.toString()).doesNotContain("secret");
  }

  @Test
  void readsTheTokenFile() throws Exception {
    Map<String, String> env = base();
    env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", Files.writeString(tmp.resolve("jwt"), "eyJ.file\n").toString());
    assertThat(FederationCredentials.fromEnvironment(env::get).identityToken()).isEqualTo("eyJ.file");
    assertThat(FederationCredentials.fromEnvironment(env::get).workspaceId()).isNull();
  }

  @Test
  void bothOrNeitherTokenIsAnError() {
    Map<String, String> env = base();
    assertThatThrownBy(() -> FederationCredentials.fromEnvironment(env::get))
        .hasMessageContaining("set exactly one of ANTHROPIC_IDENTITY_TOKEN_FILE").hasMessageContaining("neither");
    env.put("ANTHROPIC_IDENTITY_TOKEN", "a");
    env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", "/x");
    assertThatThrownBy(() -> FederationCredentials.fromEnvironment(env::get))
        .hasMessage("set exactly one of ANTHROPIC_IDENTITY_TOKEN_FILE and ANTHROPIC_IDENTITY_TOKEN, not both");
  }

  @Test
  void missingRuleOrOrganizationOrUnreadableFile() {
    Map<String, String> env = base();
    env.put("ANTHROPIC_IDENTITY_TOKEN_FILE", tmp.resolve("absent").toString());
    assertThatThrownBy(() -> FederationCredentials.fromEnvironment(env::get))
        .hasMessageStartingWith("ANTHROPIC_IDENTITY_TOKEN_FILE: cannot read");
    env.remove("ANTHROPIC_ORGANIZATION_ID");
    assertThatThrownBy(() -> FederationCredentials.fromEnvironment(env::get))
        .hasMessage("ANTHROPIC_ORGANIZATION_ID is not set (needed for the token exchange)");
  }
}
