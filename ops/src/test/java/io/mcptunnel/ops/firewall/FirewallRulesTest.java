package io.mcptunnel.ops.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.common.HostPort;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FirewallRulesTest {
  @ParameterizedTest
  @CsvSource({
    "https://api.example,              api.example, 443",
    "https://api.example/v1,           api.example, 443",
    "https://API.example:8443,         api.example, 8443",
    "http://127.0.0.1:8080,            127.0.0.1,   8080",
    "http://api.example,               api.example, 80",
  })
  void theApiUrlGivesHostAndPort(String url, String host, int port) {
    assertThat(FirewallPlanner.apiHostPort(URI.create(url))).isEqualTo(new HostPort(host, port));
  }

  @Test
  void anApiUrlWithoutSchemeOrHostIsRefused() {
    assertThatThrownBy(() -> FirewallPlanner.apiHostPort(URI.create("api.example")))
        .hasMessage("--api-url api.example: expected https://HOST[:PORT]");
  }

  @Test
  void commentsAreQuotableAndFitNftsLimit() {
    assertThat(NftablesRuleset.comment("say \"hi\"\nthere")).isEqualTo("say 'hi' there");
    String longText = "route " + "x".repeat(200);
    String cut = NftablesRuleset.comment(longText);
    assertThat(cut).endsWith("...").startsWith("route xxx");
    assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSize(128);
    assertThat(NftablesRuleset.comment("short")).isEqualTo("short");
  }
}
