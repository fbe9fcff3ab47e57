package io.mcptunnel.pki;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostNamesTest {

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
    "abc.example,        abc.example,          true",
    "ABC.example,        abc.EXAMPLE,          true",
    "abc.example,        abc.example.,         true",
    "abc.example,        echo.abc.example,     false",
    "*.abc.example,      echo.abc.example,     true",
    "*.ABC.example,      Echo.abc.example,     true",
    "*.abc.example,      abc.example,          false",
    "*.abc.example,      a.b.abc.example,      false",
    "*.abc.example,      echo.xabc.example,    false",
    "*.abc.example,      .abc.example,         false",
    "*.abc.example,      echo.abc.example.net, false",
    "e*.abc.example,     echo.abc.example,     false",
    "*.*.example,        a.b.example,          false",
    "*.,                 a,                    false",
    "'',                 abc.example,          false",
  })
  void matchesExactNamesAndSingleLabelWildcards(String san, String host, boolean expected) {
    assertThat(HostNames.covers(san, host)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      value = {"NULL, abc.example", "abc.example, NULL"},
      nullValues = "NULL")
  void nullNeverMatches(String san, String host) {
    assertThat(HostNames.covers(san, host)).isFalse();
  }
}
