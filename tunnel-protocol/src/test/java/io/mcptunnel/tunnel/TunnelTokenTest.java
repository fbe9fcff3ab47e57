package io.mcptunnel.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelTokenTest {

  @Test
  void roundTripsAndMatchesOnlyItsOwnHash() {
    TunnelToken t = TunnelToken.generate("tnl_abc", "tok_1");
    TunnelToken parsed = TunnelToken.parse(t.encode()).orElseThrow();
    assertThat(parsed.tunnelId()).isEqualTo("tnl_abc");
    assertThat(parsed.tokenId()).isEqualTo("tok_1");
    assertThat(parsed.matches(t.secretHash())).isTrue();
    assertThat(parsed.matches(TunnelToken.generate("tnl_abc", "tok_1").secretHash())).isFalse();
  }

  @Test
  void neverShowsItsSecret() {
    TunnelToken t = TunnelToken.generate("tnl_abc", "tok_1");
    String secret = t.encode().substring(t.encode().lastIndexOf('.') + 1);
    assertThat(t.toString()).doesNotContain(secret).contains("redacted");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "mcpt1", "mcpt1.a.b", "mcpt2.a.b.AAAAAAAAAAAAAAAAAAAAAA", "mcpt1.a b.c.AAAAAAAAAAAAAAAAAAAAAA",
      "mcpt1.a.b.short", "mcpt1.a.b.!!!!", "Bearer mcpt1.a.b.c"})
  void malformedTokensDoNotParse(String text) {
    assertThat(TunnelToken.parse(text)).isEmpty();
  }
}
