package io.mcptunnel.edge.registry;

import static io.mcptunnel.edge.registry.RegistryFixtures.CA_A;
import static io.mcptunnel.edge.registry.RegistryFixtures.caBlock;
import static io.mcptunnel.edge.registry.RegistryFixtures.entry;
import static io.mcptunnel.edge.registry.RegistryFixtures.pem;
import static io.mcptunnel.edge.registry.RegistryFixtures.registry;
import static io.mcptunnel.edge.registry.RegistryFixtures.token;
import static io.mcptunnel.edge.registry.RegistryFixtures.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.mcptunnel.tunnel.TunnelToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTunnelRegistryTest {
  /** Long enough that the poller never runs: these tests drive reload() themselves. */
  private static final Duration MANUAL = Duration.ofHours(1);
  private static final TunnelToken TOK_A2 = token("tnl_a", "tok_2", 2);
  private static final TunnelToken TOK_A3 = token("tnl_a", "tok_3", 3);
  private static final TunnelToken TOK_B1 = token("tnl_b", "tok_1", 1);
  private static final String A = entry("tnl_a", "abcd1234.tunnel.example", TOK_A2,
      "    retired_token_ids: [tok_1]\n" + caBlock(pem(CA_A)));
  private static final String B = entry("tnl_b", "efgh5678.tunnel.example", TOK_B1, "");

  @TempDir Path dir;
  private final List<TunnelState> changes = new CopyOnWriteArrayList<>();
  private FileTunnelRegistry registry;

  @AfterEach
  void close() {
    if (registry != null) {
      registry.close();
    }
  }

  private FileTunnelRegistry open(String yaml, Duration poll) throws Exception {
    Path file = dir.resolve("tunnels.yaml");
    Files.writeString(file, yaml);
    registry = new FileTunnelRegistry(file, poll);
    registry.addListener(changes::add);
    return registry;
  }

  @Test
  void loadsTunnelsAndLooksDomainsUpCaseInsensitively() throws Exception {
    open(registry(A, B), MANUAL);

    assertThat(registry.all()).extracting(TunnelState::id).containsExactly("tnl_a", "tnl_b");
    assertThat(registry.byId("tnl_a")).get().extracting(TunnelState::activeCas).isEqualTo(List.of(CA_A));
    assertThat(registry.byDomain("ABCD1234.Tunnel.EXAMPLE")).get().extracting(TunnelState::id).isEqualTo("tnl_a");
    assertThat(registry.byDomain("efgh5678.tunnel.example.")).get().extracting(TunnelState::id).isEqualTo("tnl_b");
    assertThat(registry.byDomain("route.abcd1234.tunnel.example")).isEmpty();
    assertThat(registry.byId("tnl_c")).isEmpty();
    assertThat(registry.byId(null)).isEmpty();
    assertThat(registry.byDomain(null)).isEmpty();
  }

  @Test
  void fileErrorsReadLikeGo() {
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> new FileTunnelRegistry(missing, MANUAL))
        .isInstanceOf(RegistryException.class).isInstanceOf(McptunnelException.class)
        .hasMessage("open " + missing + ": no such file or directory");
    assertThatThrownBy(() -> new FileTunnelRegistry(dir, MANUAL))
        .hasMessage("read " + dir + ": is a directory");
  }

  @Test
  void refusesAnInvalidFileAtStartup() throws Exception {
    Path file = Files.writeString(dir.resolve("tunnels.yaml"), registry(A.replace("tok_2", "tok 2")));

    assertThatThrownBy(() -> new FileTunnelRegistry(file, MANUAL))
        .isInstanceOf(RegistryException.class)
        .hasMessage("tunnels[0].token_id: expected 1-64 characters of [A-Za-z0-9_-]");
  }

  @Test
  void archiveTakesEffectOnReloadAndNotifiesOnlyThatTunnel() throws Exception {
    open(registry(A, B), MANUAL);
    assertThat(ConnectorAdmission.admit(TOK_A2.encode(), registry).accepted()).isTrue();

    writeAtomically(registry.file(), registry(A + "    archived: true\n", B));
    registry.reload();

    assertThat(changes).singleElement().satisfies(t -> {
      assertThat(t.id()).isEqualTo("tnl_a");
      assertThat(t.archived()).isTrue();
    });
    assertThat(registry.byId("tnl_a")).get().extracting(TunnelState::archived).isEqualTo(true);
    assertThat(ConnectorAdmission.admit(TOK_A2.encode(), registry).reason()).isEqualTo(TunnelProtocol.TUNNEL_ARCHIVED);
  }

  @Test
  void rotationRefusesTheOldTokenAndAdmitsTheNewOne() throws Exception {
    open(registry(A), MANUAL);

    writeAtomically(registry.file(), registry(entry("tnl_a", "abcd1234.tunnel.example", TOK_A3,
        "    retired_token_ids: [tok_1, tok_2]\n" + caBlock(pem(CA_A)))));
    registry.reload();

    assertThat(changes).singleElement().satisfies(t -> {
      assertThat(t.currentTokenId()).isEqualTo("tok_3");
      assertThat(t.archived()).isFalse();
    });
    assertThat(ConnectorAdmission.admit(TOK_A2.encode(), registry).reason()).isEqualTo(TunnelProtocol.TOKEN_ROTATED);
    assertThat(ConnectorAdmission.admit(TOK_A3.encode(), registry).accepted()).isTrue();
  }

  @Test
  void aRemovedTunnelIsReportedAsArchivedAndAnAddedOneAsItIs() throws Exception {
    open(registry(A), MANUAL);

    writeAtomically(registry.file(), registry(B));
    registry.reload();

    assertThat(changes).extracting(TunnelState::id, TunnelState::archived)
        .containsExactly(tuple("tnl_b", false),
            tuple("tnl_a", true));
    assertThat(registry.byId("tnl_a")).isEmpty();
  }

  @Test
  void unchangedOrReformattedFileNotifiesNobody() throws Exception {
    open(registry(A, B), MANUAL);

    registry.reload();
    writeAtomically(registry.file(), "# reformatted\n" + registry(A, B));
    registry.reload();

    assertThat(changes).isEmpty();
  }

  @Test
  void invalidReloadKeepsThePreviousStateAndWarnsOnce() throws Exception {
    open(registry(A), MANUAL);
    TunnelState before = registry.byId("tnl_a").orElseThrow();

    try (LogCapture logs = new LogCapture(FileTunnelRegistry.class)) {
      writeAtomically(registry.file(), registry(A + "    archived: maybe\n"));
      registry.reload();
      registry.reload();

      assertThat(logs.lines()).singleElement().asString()
          .startsWith("WARN tunnel registry reload failed, keeping the previous state")
          .contains("reason=tunnels[0].archived: expected true or false");
    }
    assertThat(registry.byId("tnl_a")).contains(before);
    assertThat(changes).isEmpty();

    writeAtomically(registry.file(), registry(A + "    archived: true\n"));
    registry.reload();
    assertThat(changes).extracting(TunnelState::archived).containsExactly(true);
  }

  @Test
  void aVanishedFileKeepsTheStateUntilItReturns() throws Exception {
    open(registry(A), MANUAL);

    try (LogCapture logs = new LogCapture(FileTunnelRegistry.class)) {
      Files.delete(registry.file());
      registry.reload();
      registry.reload();
      assertThat(logs.lines()).singleElement().asString()
          .contains("reason=open " + registry.file() + ": no such file or directory");
    }
    assertThat(registry.byId("tnl_a")).isPresent();

    writeAtomically(registry.file(), registry(A));
    registry.reload();
    assertThat(changes).isEmpty();
  }

  @Test
  void aFailingListenerDoesNotHideTheChangeFromOthers() throws Exception {
    Path file = Files.writeString(dir.resolve("tunnels.yaml"), registry(A));
    registry = new FileTunnelRegistry(file, MANUAL);
    registry.addListener(t -> {
      throw new IllegalStateException("boom");
    });
    registry.addListener(changes::add);

    writeAtomically(file, registry(A + "    archived: true\n"));
    registry.reload();

    assertThat(changes).hasSize(1);
  }

  @Test
  void pollingPicksUpAChangeWithoutAnExplicitReload() throws Exception {
    open(registry(A), Duration.ofMillis(50));

    writeAtomically(registry.file(), registry(A + "    archived: true\n"));

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(changes).extracting(TunnelState::archived).containsExactly(true));
    assertThat(registry.byId("tnl_a")).get().extracting(TunnelState::archived).isEqualTo(true);
  }
}
