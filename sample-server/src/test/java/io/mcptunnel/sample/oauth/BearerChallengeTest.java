package io.mcptunnel.sample.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerChallengeTest {
  private static OAuthResourceConfig.Builder valid() {
    return OAuthResourceConfigTest.valid();
  }

  @Test
  void challengesAreExact() {
    OAuthResourceConfig c = valid().build();
    String md = "https://echo.abcd1234.tunnel.example/.well-known/oauth-protected-resource/mcp";
    assertThat(BearerChallenge.missingToken(c)).isEqualTo("Bearer resource_metadata=\"" + md + "\", scope=\"mcp:tools\"");
    assertThat(BearerChallenge.invalidToken(c, TokenRejection.WRONG_AUDIENCE)).isEqualTo(
        "Bearer error=\"invalid_token\", error_description=\"the token was issued for another resource\", "
            + "resource_metadata=\"" + md + "\", scope=\"mcp:tools\"");
    assertThat(BearerChallenge.insufficientScope(c)).isEqualTo(
        "Bearer error=\"insufficient_scope\", scope=\"mcp:tools\", resource_metadata=\"" + md + "\"");
  }

}
