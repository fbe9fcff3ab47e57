package io.mcptunnel.controlplane.tunnels;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.controlplane.tunnels.TokenVerdict.StoredToken;
import io.mcptunnel.tunnel.TunnelToken;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenVerdictTest {
  private static final TunnelToken TOKEN = TunnelToken.generate("tnl_a", "ttok_1");
  private static final TunnelToken OTHER_SECRET = TunnelToken.generate("tnl_a", "ttok_1");
  private static final Instant RETIRED = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> table() {
    StoredToken current = new StoredToken("tnl_a", TOKEN.secretHash(), null);
    StoredToken retired = new StoredToken("tnl_a", TOKEN.secretHash(), RETIRED);
    StoredToken otherTunnel = new StoredToken("tnl_b", TOKEN.secretHash(), null);
    return Stream.of(
        Arguments.of("current token", TOKEN, Optional.of(current), false, TokenVerdict.VALID),
        Arguments.of("rotated away", TOKEN, Optional.of(retired), false, TokenVerdict.ROTATED),
        Arguments.of("tunnel archived", TOKEN, Optional.of(retired), true, TokenVerdict.ARCHIVED),
        Arguments.of("no such token id", TOKEN, Optional.empty(), false, TokenVerdict.UNKNOWN),
        Arguments.of("wrong secret", OTHER_SECRET, Optional.of(current), false, TokenVerdict.UNKNOWN),
        Arguments.of("wrong secret says nothing of archive", OTHER_SECRET, Optional.of(retired), true,
            TokenVerdict.UNKNOWN),
        Arguments.of("token id of another tunnel", TOKEN, Optional.of(otherTunnel), false,
            TokenVerdict.UNKNOWN));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void judge(String name, TunnelToken presented, Optional<StoredToken> stored, boolean archived,
      TokenVerdict expected) {
    assertThat(TokenVerdict.judge(presented, stored, archived)).isEqualTo(expected);
  }
}
