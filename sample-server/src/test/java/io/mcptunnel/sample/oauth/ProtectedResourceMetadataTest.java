package io.mcptunnel.sample.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedResourceMetadataTest {
  private static OAuthResourceConfig.Builder valid() {
    return OAuthResourceConfigTest.valid();
  }

  @Test
  void metadataDocumentIsExact() {
    OAuthResourceConfig c = valid().issuer("https://as2.example").requiredScope("mcp:tools").requiredScope("extra")
        .build();
    assertThat(ProtectedResourceMetadata.json(c)).isEqualTo("{\"resource\":\"https://echo.abcd1234.tunnel.example/mcp\","
        + "\"authorization_servers\":[\"https://as.example\",\"https://as2.example\"],"
        + "\"scopes_supported\":[\"mcp:tools\",\"extra\"],\"bearer_methods_supported\":[\"header\"]}");
    assertThat(c.issuers()).isEqualTo(List.of("https://as.example", "https://as2.example"));
  }

}
