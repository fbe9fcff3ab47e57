package io.mcptunnel.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

  @Test
  void emptyHostMeansEveryInterface() {
    HostPort hp = HostPort.parse(":8080");
    assertThat(hp.anyInterface()).isTrue();
    assertThat(hp.port()).isEqualTo(8080);
    assertThat(hp.toSocketAddress().getAddress().isAnyLocalAddress()).isTrue();
  }

  @Test
  void bracketedIpv6() {
    HostPort hp = HostPort.parse("[::1]:9000");
    assertThat(hp.host()).isEqualTo("::1");
    assertThat(hp).hasToString("[::1]:9000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"8080", "localhost", "host:port", "::1:80", "a:70000", ""})
  void refusesMalformed(String text) {
    assertThatThrownBy(() -> HostPort.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected host:port");
  }
}
