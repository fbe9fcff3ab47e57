package io.mcptunnel.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopbackHostsTest {
  @ParameterizedTest
  @CsvSource({
      "localhost, true", "LOCALHOST, true", "127.0.0.1, true", "127.255.0.9, true", "::1, true", "[::1], true",
      "10.0.0.1, false", "0.0.0.0, false", "192.168.1.1, false", "[2001:db8::1], false",
      "localhost.example.com, false", "127.0.0.1.nip.io, false", "example.com, false", "1.2.3, false",
      "999.1.1.1, false", "'', false"})
  void onlyLocalhostAndLoopbackLiteralsCount(String host, boolean loopback) {
    assertThat(LoopbackHosts.isLoopback(host)).isEqualTo(loopback);
  }

  @org.junit.jupiter.api.Test
  void nullIsNotLoopback() {
    assertThat(LoopbackHosts.isLoopback(null)).isFalse();
  }
}
