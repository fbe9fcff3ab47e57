package io.mcptunnel.sample.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BearerAuthFilterTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", ignoreLeadingAndTrailingWhitespace = false, value = {
      "Bearer abc|abc", "bearer abc|abc", "BEARER  abc |abc", "Bearer|NULL", "Bearer   |NULL",
      "Basic abc|NULL", "Bearerabc|NULL", "NULL|NULL"})
  void readsOnlyBearerHeaders(String header, String token) {
    assertThat(BearerAuthFilter.bearerToken(header)).isEqualTo(token);
  }
}
