package io.mcptunnel.controlplane.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IssuerUrlPolicyTest {

  @ParameterizedTest(name = "{0} (loopback switch {1}) -> {2}")
  @CsvSource({
      "https://token.actions.githubusercontent.com, false, true",
      "https://127.0.0.1:8443/jwks, false, true",
      "http://127.0.0.1:8080, false, false",
      "http://127.0.0.1:8080, true, true",
      "http://127.0.0.2:8080, true, true",
      "http://[::1]:8080/jwks, true, true",
      "http://localhost:8080, true, false",     // a name: DNS could point it anywhere
      "http://10.0.0.1:8080, true, false",
      "http://example.com, true, false",
      "ftp://127.0.0.1/jwks, true, false",
      "file:///etc/passwd, true, false",
      "https://user:pw@idp.example, false, false",
  })
  void table(String url, boolean allowLoopback, boolean allowed) {
    assertThat(new IssuerUrlPolicy(allowLoopback).refusal(URI.create(url)).isEmpty()).isEqualTo(allowed);
  }
}
