package io.mcptunnel.edge.registry;

import static io.mcptunnel.edge.registry.RegistryFixtures.CA_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TunnelStateTest {
  private static final String HASH = "ab".repeat(32);

  @Test
  void toStringLeavesOutTheTokenHashAndCertificateBodies() {
    TunnelState t = new TunnelState("tnl_1", "a.tunnel.example", "org_1", "tok_2", HASH,
        Set.of("tok_1"), List.of(CA_A), false);

    assertThat(t.toString())
        .doesNotContain(HASH)
        .doesNotContain("BEGIN")
        .contains("id=tnl_1", "currentTokenId=tok_2", "retiredTokenIds=[tok_1]", "registry-ca-a");
  }

  @Test
  void copiesCollectionsAndLowercasesTheDomain() {
    Set<String> retired = new HashSet<>(Set.of("tok_1"));
    List<X509Certificate> cas = new ArrayList<>(List.of(CA_A));
    TunnelState t = new TunnelState("tnl_1", "A.Tunnel.Example", "org_1", "tok_2", HASH, retired, cas, false);
    retired.add("tok_9");
    cas.clear();

    assertThat(t.retiredTokenIds()).containsExactly("tok_1");
    assertThat(t.activeCas()).containsExactly(CA_A);
    assertThat(t.domain()).isEqualTo("a.tunnel.example");
    assertThatThrownBy(() -> t.retiredTokenIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void asArchivedChangesOnlyTheFlag() {
    TunnelState live = new TunnelState("tnl_1", "a.tunnel.example", "org_1", "tok_2", HASH,
        Set.of(), List.of(), false);

    TunnelState archived = live.asArchived();

    assertThat(archived.archived()).isTrue();
    assertThat(archived).isEqualTo(new TunnelState("tnl_1", "a.tunnel.example", "org_1", "tok_2", HASH,
        Set.of(), List.of(), true));
    assertThat(archived.asArchived()).isSameAs(archived);
    assertThat(live.hasActiveCa()).isFalse();
  }
}
