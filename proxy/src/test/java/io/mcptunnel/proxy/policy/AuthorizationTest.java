package io.mcptunnel.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizationTest {

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(delimiter = '|', nullValues = "NONE", value = {
      "Bearer abc                | ",
      "bearer abc                | ",
      "BEARER   abc              | ",
      "Bearer                    | empty Bearer token",
      "'Bearer    '              | empty Bearer token",
      "Basic dXNlcjpwYXNz        | Authorization is not a Bearer token",
      "Bearerabc                 | Authorization is not a Bearer token",
      "''                        | Authorization is not a Bearer token",
  })
  void oneHeader(String header, String refusal) {
    assertThat(Authorization.refusal(List.of(header)).orElse(null)).isEqualTo(refusal);
  }

  @org.junit.jupiter.api.Test
  void missingOrRepeatedHeaders() {
    assertThat(Authorization.refusal(List.of())).contains("missing Authorization header");
    assertThat(Authorization.refusal(List.of("Bearer a", "Bearer b"))).contains("more than one Authorization header");
  }
}
