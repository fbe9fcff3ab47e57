package io.mcptunnel.edge.registry;

import static io.mcptunnel.edge.registry.RegistryFixtures.CA_A;
import static io.mcptunnel.edge.registry.RegistryFixtures.token;
import static io.mcptunnel.tunnel.TunnelProtocol.TOKEN_ROTATED;
import static io.mcptunnel.tunnel.TunnelProtocol.TOKEN_UNKNOWN;
import static io.mcptunnel.tunnel.TunnelProtocol.TUNNEL_ARCHIVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.edge.registry.ConnectorAdmission.Admission;
import io.mcptunnel.tunnel.TunnelToken;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectorAdmissionTest {
  // Two tunnels with the same token history (tok_1 retired, tok_2 current); one archived.
  private static final TunnelToken CURRENT = token("tnl_live", "tok_2", 2);
  private static final TunnelState LIVE = state("tnl_live", false);
  private static final TunnelState ARCHIVED = state("tnl_gone", true);
  private static final TunnelRegistry REGISTRY = new MapRegistry(Map.of(LIVE.id(), LIVE, ARCHIVED.id(), ARCHIVED));

  private static TunnelState state(String id, boolean archived) {
    return new TunnelState(id, id.replace('_', '-') + ".tunnel.example", "org_1", "tok_2",
        token(id, "tok_2", 2).secretHash(), Set.of("tok_1"), List.of(CA_A), archived);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        row("no token", null, 401, TOKEN_UNKNOWN, null),
        row("malformed", "Bearer nonsense", 401, TOKEN_UNKNOWN, null),
        row("wrong prefix", CURRENT.encode().replace("mcpt1", "mcpt2"), 401, TOKEN_UNKNOWN, null),
        row("unknown tunnel", token("tnl_other", "tok_2", 2).encode(), 401, TOKEN_UNKNOWN, null),
        row("archived, current token", token("tnl_gone", "tok_2", 2).encode(), 403, TUNNEL_ARCHIVED, ARCHIVED),
        // Order: archived beats rotated beats unknown-id beats a wrong secret.
        row("archived beats rotated", token("tnl_gone", "tok_1", 1).encode(), 403, TUNNEL_ARCHIVED, ARCHIVED),
        row("archived beats wrong secret", token("tnl_gone", "tok_2", 9).encode(), 403, TUNNEL_ARCHIVED, ARCHIVED),
        row("retired token", token("tnl_live", "tok_1", 1).encode(), 401, TOKEN_ROTATED, LIVE),
        row("rotated beats wrong secret", token("tnl_live", "tok_1", 9).encode(), 401, TOKEN_ROTATED, LIVE),
        row("token id never issued", token("tnl_live", "tok_7", 2).encode(), 401, TOKEN_UNKNOWN, LIVE),
        row("current id, wrong secret", token("tnl_live", "tok_2", 9).encode(), 401, TOKEN_UNKNOWN, LIVE),
        row("current token", CURRENT.encode(), 101, "accepted", LIVE),
        row("current token, surrounding space", " " + CURRENT.encode() + "\n", 101, "accepted", LIVE));
  }

  private static Arguments row(String name, String bearer, int status, String reason, TunnelState tunnel) {
    return Arguments.of(name, bearer, status, reason, tunnel);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void admits(String name, String bearer, int status, String reason, TunnelState tunnel) {
    Admission a = ConnectorAdmission.admit(bearer, REGISTRY);

    assertThat(a.status()).isEqualTo(status);
    assertThat(a.reason()).isEqualTo(reason);
    assertThat(a.accepted()).isEqualTo(status == 101);
    assertThat(a.tunnel()).isEqualTo(tunnel);
    if (bearer != null) { // a refusal is sent to the peer and logged: never echo its credential
      String secret = bearer.trim().substring(bearer.trim().lastIndexOf('.') + 1);
      assertThat(a.reason()).doesNotContain(bearer.trim()).doesNotContain(secret);
      assertThat(a.toString()).doesNotContain(secret);
    }
  }

  /** The decision reads only byId; a map is the whole registry it needs. */
  private record MapRegistry(Map<String, TunnelState> tunnels) implements TunnelRegistry {
    @Override
    public Optional<TunnelState> byId(String id) {
      return Optional.ofNullable(tunnels.get(id));
    }

    @Override
    public Optional<TunnelState> byDomain(String domain) {
      return tunnels.values().stream().filter(t -> t.domain().equalsIgnoreCase(domain)).findFirst();
    }

    @Override
    public void addListener(Consumer<TunnelState> onChange) {}

    @Override
    public Collection<TunnelState> all() {
      return tunnels.values();
    }
  }
}
