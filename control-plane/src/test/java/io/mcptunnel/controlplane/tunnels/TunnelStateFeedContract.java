package io.mcptunnel.controlplane.tunnels;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.controlplane.tenancy.Organizations;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The edge feed over the state clock, run once per database: every edge-relevant change advances
 * the version and shows in the next delta with the tunnel's full record; resets carry everything.
 * Tests share one database per class, so versions are compared with the version before each step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TunnelStateFeedContract {
  static final byte[] KEY = "0123456789abcdef0123456789abcdef-test-key".getBytes();

  private Database database;
  private final AtomicInteger pokes = new AtomicInteger();
  TunnelService service;
  TunnelStateFeed feed;
  Actor alice;

  abstract TestDatabase kind();

  @BeforeAll
  void openDatabase() {
    database = Database.open(kind().freshUrl());
    service = new TunnelService(database, new AuditLog(database), Clock.systemUTC(),
        TunnelServiceConfig.of("tunnels.example.test", KEY).withDefaultMaxActiveTunnels(1000), pokes::incrementAndGet);
    feed = new TunnelStateFeed(database);
  }

  @AfterAll
  void closeDatabase() {
    database.close();
  }

  @BeforeEach
  void newOrganization() {
    String org = "org_" + UUID.randomUUID().toString().replace("-", "");
    String ws = "wrkspc_" + UUID.randomUUID().toString().replace("-", "");
    Organizations orgs = new Organizations(database, Clock.systemUTC());
    orgs.createOrganization(org, null);
    orgs.createWorkspace(ws, org);
    alice = new Actor(org, ws, "user:alice", "203.0.113.7");
  }

  /** The one change after {@code before}: a delta of exactly this tunnel, one version later. */
  private TunnelState onlyChange(long before, String tunnelId) {
    TunnelState.Batch delta = feed.changesSince(before);
    assertThat(delta.reset()).isFalse();
    assertThat(delta.version()).isEqualTo(before + 1);
    assertThat(delta.tunnels()).extracting(TunnelState::id).containsExactly(tunnelId);
    return delta.tunnels().get(0);
  }

  @Test
  void aSeveringRotationAdvancesTheClockOnceAndListsEveryOlderTokenAsSevered() {
    Tunnel t = service.create(alice, null);
    RevealedToken first = service.revealToken(alice, t.id());
    RevealedToken second = service.rotateToken(alice, t.id(), null);
    long v0 = version();

    RevealedToken third = service.rotateToken(alice, t.id(), "breach", true);
    TunnelState severed = onlyChange(v0, t.id());
    assertThat(severed.currentToken().id()).isEqualTo(third.id());
    assertThat(severed.retiredTokenIds()).containsExactly(first.id(), second.id());
    assertThat(severed.severedTokenIds()).containsExactlyInAnyOrder(first.id(), second.id());

    service.rotateToken(alice, t.id(), null, false);
    TunnelState plain = onlyChange(v0 + 1, t.id());
    assertThat(plain.retiredTokenIds()).containsExactly(first.id(), second.id(), third.id());
    assertThat(plain.severedTokenIds()).as("the plain rotation keeps third's connections")
        .containsExactlyInAnyOrder(first.id(), second.id());
    assertThat(feed.snapshot().tunnels()).filteredOn(s -> s.id().equals(t.id())).singleElement()
        .satisfies(s -> assertThat(s.severedTokenIds()).containsExactlyInAnyOrder(first.id(), second.id()));
  }

  private long version() {
    return feed.snapshot().version();
  }

  private static String caPem() {
    return PemFiles.toPem(TestPki.create("tenant CA").ca().certificate());
  }

  @Test
  void everyEdgeRelevantChangeAdvancesTheVersionOnceAndShowsTheFullRecord() {
    long v0 = version();
    int pokesBefore = pokes.get();
    Tunnel t = service.create(alice, "feed");
    TunnelState created = onlyChange(v0, t.id());
    RevealedToken first = service.revealToken(alice, t.id());
    assertThat(created.domain()).isEqualTo(t.domain());
    assertThat(created.organizationId()).isEqualTo(alice.organizationId());
    assertThat(created.workspaceId()).isEqualTo(alice.workspaceId());
    assertThat(created.currentToken().id()).isEqualTo(first.id());
    assertThat(TunnelToken.parse(first.tunnelToken()).orElseThrow().matches(created.currentToken().secretSha256()))
        .isTrue();
    assertThat(created.currentToken().secretSha256()).matches("[0-9a-f]{64}");
    assertThat(created.retiredTokenIds()).isEmpty();
    assertThat(created.caCertificatesPem()).isEmpty();
    assertThat(created.archived()).isFalse();
    assertThat(feed.changesSince(v0 + 1).tunnels()).as("a reveal changes nothing").isEmpty();

    RevealedToken second = service.rotateToken(alice, t.id(), "leaked");
    TunnelState rotated = onlyChange(v0 + 1, t.id());
    assertThat(rotated.currentToken().id()).isEqualTo(second.id());
    assertThat(rotated.retiredTokenIds()).containsExactly(first.id());
    assertThat(rotated.severedTokenIds()).as("a plain rotation severs nothing").isEmpty();

    String pem = caPem();
    TunnelCertificate cert = service.registerCertificate(alice, t.id(), pem);
    assertThat(onlyChange(v0 + 2, t.id()).caCertificatesPem()).containsExactly(pem);

    service.archiveCertificate(alice, t.id(), cert.id());
    assertThat(onlyChange(v0 + 3, t.id()).caCertificatesPem()).isEmpty();
    service.archiveCertificate(alice, t.id(), cert.id());
    assertThat(version()).as("a repeated certificate archive changes nothing").isEqualTo(v0 + 4);

    service.registerCertificate(alice, t.id(), caPem());
    service.archive(alice, t.id());
    TunnelState archived = feed.changesSince(v0 + 5).tunnels().get(0);
    assertThat(archived.archived()).isTrue();
    assertThat(archived.currentToken()).isNull();
    assertThat(archived.caCertificatesPem()).isEmpty();
    assertThat(archived.retiredTokenIds()).containsExactlyInAnyOrder(first.id(), second.id());
    service.archive(alice, t.id());
    assertThat(version()).as("a repeated archive changes nothing").isEqualTo(v0 + 6);
    assertThat(pokes.get() - pokesBefore).as("each committed change tells the watcher").isGreaterThanOrEqualTo(6);
  }

  @Test
  void aResetCarriesEveryTunnelArchivedOnesIncludedWhenAfterIsZeroOrAheadOfTheClock() {
    Tunnel live = service.create(alice, null);
    Tunnel gone = service.create(alice, null);
    service.archive(alice, gone.id());
    for (long after : new long[] {0, version() + 1, Long.MAX_VALUE}) {
      TunnelState.Batch reset = feed.changesSince(after);
      assertThat(reset.reset()).isTrue();
      assertThat(reset.version()).isEqualTo(version());
      assertThat(reset.tunnels()).extracting(TunnelState::id).contains(live.id(), gone.id());
      assertThat(reset.tunnels()).filteredOn(s -> s.id().equals(gone.id())).singleElement()
          .satisfies(s -> assertThat(s.archived()).isTrue());
    }
  }

  @Test
  void aDeltaHoldsEachChangedTunnelOnceInVersionOrderAndNothingWhenNothingChanged() {
    long v0 = version();
    Tunnel a = service.create(alice, null);
    Tunnel b = service.create(alice, null);
    service.rotateToken(alice, a.id(), null);
    TunnelState.Batch delta = feed.changesSince(v0);
    assertThat(delta.version()).isEqualTo(v0 + 3);
    assertThat(delta.tunnels()).extracting(TunnelState::id).containsExactly(b.id(), a.id());
    TunnelState.Batch nothing = feed.changesSince(delta.version());
    assertThat(nothing.reset()).isFalse();
    assertThat(nothing.version()).isEqualTo(delta.version());
    assertThat(nothing.tunnels()).isEmpty();
  }

  @Test
  void concurrentChangesGetDistinctConsecutiveVersions() throws Exception {
    List<Tunnel> tunnels = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tunnels.add(service.create(alice, null));
    }
    long v0 = version();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (Tunnel t : tunnels) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 3; i++) {
            service.rotateToken(alice, t.id(), null);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(version()).isEqualTo(v0 + 24);
    TunnelState.Batch delta = feed.changesSince(v0);
    assertThat(delta.tunnels()).hasSize(8);
    Set<String> ids = new HashSet<>();
    delta.tunnels().forEach(s -> ids.add(s.id()));
    assertThat(ids).hasSize(8);
    delta.tunnels().forEach(s -> assertThat(s.retiredTokenIds()).hasSize(3));
  }
}
