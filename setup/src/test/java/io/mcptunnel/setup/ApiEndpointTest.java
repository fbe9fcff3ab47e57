package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiEndpointTest {
  @ParameterizedTest
  @ValueSource(strings = {"https://api.example.com", "https://10.0.0.1:8443/", "http://127.0.0.1:7850",
      "http://localhost:7850", "http://[::1]:7850", "http://127.1.2.3"})
  void accepts(String url) {
    assertThat(new ApiEndpoint(URI.create(url), null).resolve("/v1/tunnels").getPath()).isEqualTo("/v1/tunnels");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://api.example.com", "http://10.0.0.1:7850", "http://localhost.evil.com",
      "http://127.0.0.1.nip.io"})
  void refusesPlainHttpOffLoopback(String url) {
    assertThatThrownBy(() -> new ApiEndpoint(URI.create(url), null))
        .hasMessageContaining("uses http to a non-loopback host");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://x", "api.example.com", "https:///path"})
  void refusesOtherForms(String url) {
    assertThatThrownBy(() -> new ApiEndpoint(URI.create(url), null)).hasMessageContaining("expected https://HOST");
  }
}
