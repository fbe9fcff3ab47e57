package io.mcptunnel.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, 127.0.0.1",
      "127.1, 127.0.0.1",
      "2130706433, 127.0.0.1",
      "0177.0.0.1, 127.0.0.1",
      "0x7f000001, 127.0.0.1",
      "0x7f.1, 127.0.0.1",
      "10.1.258, 10.1.1.2",
      "0, 0.0.0.0",
      "169.254.169.254., 169.254.169.254",
      "4294967295, 255.255.255.255",
  })
  void lenientFormsAsCurlReadsThem(String text, String expected) {
    OptionalInt v = Ipv4.parseLenient(text);
    assertThat(v).isPresent();
    assertThat(Ipv4.format(v.getAsInt())).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.0.0.1", "1.2.3.4.5", "4294967296", "08.0.0.1", "0x", "1..2", ".", "1.2.3.256", "0xg"})
  void malformedLiteralsAreNotAddresses(String text) {
    assertThat(Ipv4.parseLenient(text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.1, true", "1.2.3.4.5, true", "0x7f000001, true", "svc.internal, false",
      "metadata.google.internal, false", "a.0x, true", "host1, false", "1host.example, false"})
  void hostsEndingInANumberAreLiteralAttempts(String host, boolean expected) {
    assertThat(Ipv4.looksLikeLiteral(host)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"10.0.0.0/8, 10.0.0.0/8", "10.1.2.3, 10.1.2.3/32", "10.1.2.3/8, 10.0.0.0/8", "0.0.0.0/0, 0.0.0.0/0"})
  void cidrParsing(String text, String expected) {
    assertThat(Ipv4Cidr.parse(text)).hasToString(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fc00::/7", "10.0.0.0/33", "10.0.0/8", "010.0.0.1", "10.0.0.0/", "10.0.0.0/-1", "x"})
  void cidrRefusals(String text) {
    assertThatThrownBy(() -> Ipv4Cidr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(text)
        .hasMessageContaining("not an IPv4 CIDR");
  }
}
