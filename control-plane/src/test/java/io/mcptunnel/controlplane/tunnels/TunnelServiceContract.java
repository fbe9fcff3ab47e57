package io.mcptunnel.controlplane.tunnels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.testing.MutableClock;
import io.mcptunnel.controlplane.store.TestDatabase;
import io.mcptunnel.controlplane.tenancy.Organizations;
import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.CertificateIssuer.Usage;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Tunnels service contract (SPEC §4.1, §4.3 audit), run once per database by the subclasses.
 * Each test works in an organization of its own, so tests share one database per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TunnelServiceContract {
  static final String ZONE = "tunnels.example.test";
  static final byte[] KEY = "0123456789abcdef0123456789abcdef-test-key".getBytes();

  private Database database;
  MutableClock clock;
  AuditLog audit;
  Organizations organizations;
  TunnelService service;
  Actor alice;

  abstract TestDatabase kind();

  @BeforeAll
  void openDatabase() {
    database = Database.open(kind().freshUrl());
  }

  @AfterAll
  void closeDatabase() {
    database.close();
  }

  @BeforeEach
  void newOrganization() {
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    audit = new AuditLog(database);
    organizations = new Organizations(database, clock);
    alice = newActor(null);
    service = service(TunnelServiceConfig.of(ZONE, KEY));
  }

  private TunnelService service(TunnelServiceConfig config) {
    return new TunnelService(database, audit, clock, config);
  }

  private Actor newActor(Integer maxActiveTunnels) {
    String org = "org_" + UUID.randomUUID().toString().replace("-", "");
    String workspace = "wrkspc_" + UUID.randomUUID().toString().replace("-", "");
    organizations.createOrganization(org, maxActiveTunnels);
    organizations.createWorkspace(workspace, org);
    return new Actor(org, workspace, "user:alice", "203.0.113.7");
  }

  private static String caPem() {
    return PemFiles.toPem(TestPki.create("tenant CA").ca().certificate());
  }

  // --- create, get, list ---

  @Test
  void createAllocatesPrefixedIdFreshDomainAndCreationTime() {
    Tunnel tunnel = service.create(alice, "prod");

    assertThat(tunnel.id()).matches("tnl_[A-Za-z0-9]{24}");
    assertThat(tunnel.domain()).matches("[a-z0-9]{8}\\." + ZONE.replace(".", "\\."));
    assertThat(tunnel.displayName()).isEqualTo("prod");
    assertThat(tunnel.createdAt()).isEqualTo(clock.instant());
    assertThat(tunnel.archivedAt()).isNull();
    assertThat(service.get(alice, tunnel.id())).isEqualTo(tunnel);
  }

  @Test
  void tenActiveTunnelsPerOrganizationByDefaultAndArchivingFreesOne() {
    List<Tunnel> created = new ArrayList<>();
    for (int i = 0; i < TunnelServiceConfig.DEFAULT_MAX_ACTIVE_TUNNELS; i++) {
      created.add(service.create(alice, null));
    }
    assertRefused(() -> service.create(alice, null), ErrorKind.CONFLICT, "active tunnel limit reached");

    service.archive(alice, created.get(0).id());
    assertThat(service.create(alice, null).id()).startsWith("tnl_");
  }

  @Test
  void theLimitIsConfigurableAndAnOrganizationMayCarryItsOwn() {
    TunnelService two = service(TunnelServiceConfig.of(ZONE, KEY).withDefaultMaxActiveTunnels(2));
    two.create(alice, null);
    two.create(alice, null);
    assertRefused(() -> two.create(alice, null), ErrorKind.CONFLICT, "at most 2 active tunnels");

    Actor generous = newActor(3);
    for (int i = 0; i < 3; i++) {
      two.create(generous, null);
    }
    assertRefused(() -> two.create(generous, null), ErrorKind.CONFLICT, "at most 3 active tunnels");
  }

  @Test
  void aDomainIsNeverAllocatedAgainEvenAfterArchive() {
    String first = randomLabel();
    String second = randomLabel();
    Iterator<String> labels = List.of(first, first, first, second).iterator();
    TunnelService scripted =
        service(TunnelServiceConfig.of(ZONE, KEY).withDomainLabels(labels::next));

    Tunnel a = scripted.create(alice, null);
    scripted.archive(alice, a.id());
    Tunnel b = scripted.create(newActor(null), null);

    assertThat(a.domain()).isEqualTo(first + "." + ZONE);
    assertThat(b.domain()).isEqualTo(second + "." + ZONE);
  }

  @Test
  void listIsNewestFirstWithOpaquePagesAndArchivedOnlyWhenAsked() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(service.create(alice, "t" + i).id());
    }
    service.archive(alice, ids.get(1));

    List<String> seen = new ArrayList<>();
    String page = null;
    int pages = 0;
    do {
      Page<Tunnel> result = service.list(alice, false, 2, page);
      result.data().forEach(t -> seen.add(t.id()));
      page = result.nextPage().orElse(null);
      pages++;
    } while (page != null);

    assertThat(seen).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(0));
    assertThat(pages).isEqualTo(2);
    assertThat(service.list(alice, true, null, null).data()).extracting(Tunnel::id)
        .containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
    assertThat(service.list(alice, true, 5, null).nextPage()).isEmpty();
  }

  @Test
  void listRefusesOutOfRangeLimitsAndForeignCursors() {
    assertRefused(() -> service.list(alice, false, 0, null), ErrorKind.INVALID_REQUEST, "limit");
    assertRefused(() -> service.list(alice, false, 1001, null), ErrorKind.INVALID_REQUEST, "limit");
    assertRefused(() -> service.list(alice, false, null, "not-a-cursor"), ErrorKind.INVALID_REQUEST, "page");
    assertThat(service.list(alice, false, 1000, null).data()).isEmpty();
  }

  @Test
  void anotherOrganizationsTunnelIsNotFoundAnotherWorkspacesIsForbidden() {
    Tunnel tunnel = service.create(alice, null);
    Actor stranger = newActor(null);
    Actor colleague = new Actor(alice.organizationId(), "wrkspc_other", "user:bob", "198.51.100.1");

    assertRefused(() -> service.get(stranger, tunnel.id()), ErrorKind.NOT_FOUND, "not found");
    assertRefused(() -> service.archive(stranger, tunnel.id()), ErrorKind.NOT_FOUND, "not found");
    assertRefused(() -> service.revealToken(colleague, tunnel.id()), ErrorKind.PERMISSION, "another workspace");
    assertRefused(() -> service.get(alice, "tnl_missing"), ErrorKind.NOT_FOUND, "not found");
    assertThat(service.list(stranger, true, null, null).data()).isEmpty();
  }

  @Test
  void anOrganizationAdminSeesEveryWorkspace() {
    Tunnel tunnel = service.create(alice, null);
    String otherWorkspace = "wrkspc_" + UUID.randomUUID().toString().replace("-", "");
    organizations.createWorkspace(otherWorkspace, alice.organizationId());
    Actor bob = new Actor(alice.organizationId(), otherWorkspace, "user:bob", "198.51.100.1");
    Tunnel bobs = service.create(bob, null);
    Actor admin = new Actor(alice.organizationId(), null, "user:admin", "198.51.100.2");

    assertThat(service.list(admin, false, null, null).data()).containsExactly(bobs, tunnel);
    assertThat(service.list(bob, false, null, null).data()).containsExactly(bobs);
    assertThat(service.archive(admin, tunnel.id()).archived()).isTrue();
    assertRefused(() -> service.create(admin, null), ErrorKind.INVALID_REQUEST, "workspace is required");
  }

  // --- archive ---

  @Test
  void archiveArchivesCertificatesRetiresTokenAndIsIdempotent() {
    Tunnel tunnel = service.create(alice, null);
    TunnelCertificate cert = service.registerCertificate(alice, tunnel.id(), caPem());
    clock.advance(Duration.ofMinutes(5));

    Tunnel archived = service.archive(alice, tunnel.id());
    clock.advance(Duration.ofMinutes(5));
    Tunnel again = service.archive(alice, tunnel.id());

    assertThat(archived.archivedAt()).isEqualTo(tunnel.createdAt().plus(Duration.ofMinutes(5)));
    assertThat(again).isEqualTo(archived);
    assertThat(service.get(alice, tunnel.id())).isEqualTo(archived);
    assertThat(service.getCertificate(alice, tunnel.id(), cert.id()).archivedAt())
        .isEqualTo(archived.archivedAt());
    assertThat(currentTokenCount(tunnel.id())).isZero();
    assertRefused(() -> service.revealToken(alice, tunnel.id()), ErrorKind.CONFLICT, "archived");
    assertRefused(() -> service.rotateToken(alice, tunnel.id(), null), ErrorKind.CONFLICT, "archived");
    assertRefused(() -> service.registerCertificate(alice, tunnel.id(), caPem()), ErrorKind.CONFLICT, "archived");
  }

  // --- tokens ---

  @Test
  void revealGivesTheSameTokenUntilRotationAndStoresOnlyItsHash() {
    Tunnel tunnel = service.create(alice, null);

    RevealedToken first = service.revealToken(alice, tunnel.id());
    RevealedToken second = service.revealToken(alice, tunnel.id());
    TunnelToken parsed = TunnelToken.parse(first.tunnelToken()).orElseThrow();

    assertThat(second).isEqualTo(first);
    assertThat(parsed.tunnelId()).isEqualTo(tunnel.id());
    assertThat(parsed.tokenId()).isEqualTo(first.id());
    assertThat(storedHashes(tunnel.id())).containsExactly(parsed.secretHash());
    assertThat(first.toString()).doesNotContain(first.tunnelToken());
  }

  @Test
  void rotateIssuesANewTokenAndRetiresTheOld() {
    Tunnel tunnel = service.create(alice, null);
    RevealedToken before = service.revealToken(alice, tunnel.id());

    RevealedToken rotated = service.rotateToken(alice, tunnel.id(), "laptop lost");

    assertThat(rotated.id()).isNotEqualTo(before.id());
    assertThat(rotated.tunnelToken()).isNotEqualTo(before.tunnelToken());
    assertThat(service.revealToken(alice, tunnel.id())).isEqualTo(rotated);
    assertThat(currentTokenCount(tunnel.id())).isEqualTo(1);
    assertThat(storedHashes(tunnel.id())).hasSize(2);
  }

  @Test
  void theEdgeCheckSaysValidRotatedArchivedOrUnknown() {
    Tunnel tunnel = service.create(alice, null);
    String old = service.revealToken(alice, tunnel.id()).tunnelToken();
    String current = service.rotateToken(alice, tunnel.id(), null).tunnelToken();
    TunnelToken parsed = TunnelToken.parse(current).orElseThrow();
    String forged = TunnelToken.generate(tunnel.id(), parsed.tokenId()).encode(); // right ids, wrong secret

    assertThat(service.checkToken(current)).isEqualTo(TokenVerdict.VALID);
    assertThat(service.checkToken(old)).isEqualTo(TokenVerdict.ROTATED);
    assertThat(service.checkToken(forged)).isEqualTo(TokenVerdict.UNKNOWN);
    assertThat(service.checkToken("mcpt1.garbage")).isEqualTo(TokenVerdict.UNKNOWN);
    assertThat(service.checkToken(null)).isEqualTo(TokenVerdict.UNKNOWN);

    service.archive(alice, tunnel.id());
    assertThat(service.checkToken(current)).isEqualTo(TokenVerdict.ARCHIVED);
    assertThat(service.checkToken(old)).isEqualTo(TokenVerdict.ARCHIVED);
  }

  // --- certificates ---

  @Test
  void registeringACaRecordsFingerprintAndExpiry() throws Exception {
    Tunnel tunnel = service.create(alice, null);
    String pem = caPem();
    X509Certificate ca = PemFiles.parseCertificates(pem, "test").get(0);

    TunnelCertificate cert = service.registerCertificate(alice, tunnel.id(), pem);

    assertThat(cert.id()).matches("tcrt_[A-Za-z0-9]{24}");
    assertThat(cert.tunnelId()).isEqualTo(tunnel.id());
    assertThat(cert.fingerprint()).isEqualTo(Fingerprints.sha256Hex(ca)).matches("[0-9a-f]{64}");
    assertThat(cert.expiresAt()).isEqualTo(ca.getNotAfter().toInstant());
    assertThat(cert.createdAt()).isEqualTo(clock.instant());
    assertThat(service.getCertificate(alice, tunnel.id(), cert.id())).isEqualTo(cert);
    assertThat(service.listCertificates(alice, tunnel.id())).containsExactly(cert);
  }

  @Test
  void everyCaRuleIsA400NamingTheRule() {
    Tunnel tunnel = service.create(alice, null);
    KeyPair ec = KeyPairs.ecP256();
    Instant now = clock.instant();
    Supplier<CertificateIssuer.Spec> base = () -> CertificateIssuer.Spec.forKey(ec.getPublic(), "ca")
        .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
        .basicConstraints(true, true)
        .keyUsage(Usage.KEY_CERT_SIGN);
    String good = PemFiles.toPem(base.get().selfSigned(ec.getPrivate()));
    KeyPair rsa1024 = KeyPairs.rsa(1024);

    List<String[]> cases = List.of(
        new String[] {"not pem at all", "PEM"},
        new String[] {good + good, "exactly one certificate"},
        new String[] {good + PemFiles.toPem(ec.getPrivate()), "private key"},
        new String[] {good + "\n".repeat(8200), "exceeds 8192 bytes"},
        new String[] {pem(base.get().basicConstraints(true, false), ec), "basicConstraints"},
        new String[] {pem(base.get().basicConstraints(false, true), ec), "basicConstraints"},
        new String[] {pem(base.get().subjectKeyIdentifier(false), ec), "subjectKeyIdentifier"},
        new String[] {pem(base.get().keyUsage(Usage.DIGITAL_SIGNATURE), ec), "keyCertSign"},
        new String[] {pem(base.get().validity(now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(1))), ec), "expired"},
        new String[] {pem(base.get().validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(9))), ec), "not yet valid"},
        new String[] {PemFiles.toPem(CertificateIssuer.Spec.forKey(rsa1024.getPublic(), "ca")
            .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)))
            .basicConstraints(true, true).keyUsage(Usage.KEY_CERT_SIGN)
            .signatureAlgorithm("SHA256withRSA").selfSigned(rsa1024.getPrivate())), "key too weak"},
        new String[] {pem(base.get().signatureAlgorithm("SHA1withECDSA"), ec), "signature algorithm"});

    for (String[] c : cases) {
      assertRefused(() -> service.registerCertificate(alice, tunnel.id(), c[0]),
          ErrorKind.INVALID_REQUEST, c[1]);
    }
    assertThat(service.listCertificates(alice, tunnel.id())).isEmpty();
    assertThat(service.registerCertificate(alice, tunnel.id(), good).id()).startsWith("tcrt_");
  }

  private static String pem(CertificateIssuer.Spec spec, KeyPair keys) {
    return PemFiles.toPem(spec.selfSigned(keys.getPrivate()));
  }

  @Test
  void atMostTwoNonArchivedCertificatesPerTunnel() {
    Tunnel tunnel = service.create(alice, null);
    TunnelCertificate first = service.registerCertificate(alice, tunnel.id(), caPem());
    service.registerCertificate(alice, tunnel.id(), caPem());

    assertRefused(() -> service.registerCertificate(alice, tunnel.id(), caPem()),
        ErrorKind.CONFLICT, "at most 2 non-archived certificates");

    TunnelCertificate revoked = service.archiveCertificate(alice, tunnel.id(), first.id());
    clock.advance(Duration.ofSeconds(1));
    assertThat(service.archiveCertificate(alice, tunnel.id(), first.id())).isEqualTo(revoked);
    assertThat(revoked.archivedAt()).isNotNull();
    TunnelCertificate third = service.registerCertificate(alice, tunnel.id(), caPem());
    assertThat(service.listCertificates(alice, tunnel.id())).hasSize(3).first().isEqualTo(third);
  }

  @Test
  void aCertificateIsOnlyFoundUnderItsOwnTunnel() {
    Tunnel a = service.create(alice, null);
    Tunnel b = service.create(alice, null);
    TunnelCertificate cert = service.registerCertificate(alice, a.id(), caPem());

    assertRefused(() -> service.getCertificate(alice, b.id(), cert.id()), ErrorKind.NOT_FOUND, "not found");
    assertRefused(() -> service.archiveCertificate(alice, b.id(), cert.id()), ErrorKind.NOT_FOUND, "not found");
  }

  @Test
  void twoUploadsRacingForTheLastSlotCannotBothWin() throws Exception {
    int racers = 8;
    List<String> pems = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      pems.add(caPem());
    }
    // Several rounds: one lucky interleaving must not hide a missing lock.
    for (int round = 0; round < 5; round++) {
      Tunnel tunnel = service.create(alice, null);
      service.registerCertificate(alice, tunnel.id(), caPem());

      List<Outcome> outcomes =
          race(racers, i -> service.registerCertificate(alice, tunnel.id(), pems.get(i)));

      assertThat(outcomes).filteredOn(Outcome::won).hasSize(1);
      assertThat(outcomes).filteredOn(o -> !o.won())
          .allSatisfy(o -> assertThat(o.refusal()).isEqualTo(ErrorKind.CONFLICT));
      assertThat(service.listCertificates(alice, tunnel.id())).hasSize(2);
    }
  }

  @Test
  void concurrentCreatesCannotExceedTheTunnelLimit() throws Exception {
    TunnelService three = service(TunnelServiceConfig.of(ZONE, KEY).withDefaultMaxActiveTunnels(3));

    List<Outcome> outcomes = race(8, i -> three.create(alice, null));

    assertThat(outcomes).filteredOn(Outcome::won).hasSize(3);
    assertThat(service.list(alice, false, null, null).data()).hasSize(3);
  }

  record Outcome(boolean won, ErrorKind refusal) {}

  interface Attempt {
    Object run(int index);
  }

  /** Starts every attempt at once (a latch, not a sleep) and collects how each ended. */
  private static List<Outcome> race(int count, Attempt attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Outcome>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        Callable<Outcome> task = () -> {
          start.await();
          try {
            attempt.run(index);
            return new Outcome(true, null);
          } catch (TunnelApiException e) {
            return new Outcome(false, e.kind());
          }
        };
        futures.add(pool.submit(task));
      }
      start.countDown();
      List<Outcome> outcomes = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        outcomes.add(f.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  // --- audit ---

  @Test
  void everyChangeAndRevealIsAuditedWithoutSecrets() {
    Tunnel tunnel = service.create(alice, "audited");
    RevealedToken revealed = service.revealToken(alice, tunnel.id());
    RevealedToken rotated = service.rotateToken(alice, tunnel.id(), "scheduled rotation");
    TunnelCertificate cert = service.registerCertificate(alice, tunnel.id(), caPem());
    service.archiveCertificate(alice, tunnel.id(), cert.id());
    assertRefused(() -> service.registerCertificate(alice, tunnel.id(), "junk"), ErrorKind.INVALID_REQUEST, "PEM");
    service.archive(alice, tunnel.id());

    List<AuditEvent> events = audit.query(alice.organizationId(), 0, 100);
    assertThat(events).extracting(AuditEvent::action).containsExactly(
        "tunnel.create", "tunnel.token.reveal", "tunnel.token.rotate",
        "tunnel.certificate.register", "tunnel.certificate.archive",
        "tunnel.certificate.register", "tunnel.archive");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.actor()).isEqualTo("user:alice");
      assertThat(e.sourceAddress()).isEqualTo("203.0.113.7");
      assertThat(e.occurredAt()).isEqualTo(clock.instant());
    });
    assertThat(events.get(0).target()).isEqualTo(tunnel.id());
    assertThat(events.get(2).reason()).isEqualTo("scheduled rotation");
    assertThat(events.get(4).target()).isEqualTo(cert.id());
    assertThat(events.get(5).outcome()).startsWith("denied: invalid_request_error: ca_certificate_pem:");
    assertThat(events).filteredOn(e -> e.outcome().equals(AuditEvent.SUCCESS)).hasSize(6);

    StringWriter export = new StringWriter();
    audit.exportJsonLines(alice.organizationId(), export);
    String[] lines = export.toString().split("\n");
    assertThat(lines).hasSize(7);
    assertThat(lines[2]).contains("\"action\":\"tunnel.token.rotate\"", "\"reason\":\"scheduled rotation\"",
        "\"source_address\":\"203.0.113.7\"", "\"occurred_at\":\"" + clock.instant() + "\"");
    String secretOfFirst = revealed.tunnelToken().substring(revealed.tunnelToken().lastIndexOf('.') + 1);
    String secretOfSecond = rotated.tunnelToken().substring(rotated.tunnelToken().lastIndexOf('.') + 1);
    assertThat(export.toString()).doesNotContain(secretOfFirst, secretOfSecond);
  }

  @Test
  void refusedAttemptsAreAuditedToo() {
    TunnelService one = service(TunnelServiceConfig.of(ZONE, KEY).withDefaultMaxActiveTunnels(1));
    one.create(alice, null);
    assertRefused(() -> one.create(alice, null), ErrorKind.CONFLICT, "limit");

    List<AuditEvent> events = audit.query(alice.organizationId(), 0, 10);
    assertThat(events).extracting(AuditEvent::outcome)
        .containsExactly(AuditEvent.SUCCESS, "denied: invalid_request_error: active tunnel limit reached:"
            + " at most 1 active tunnels per organization; archive one first");
  }

  // --- helpers ---

  static void assertRefused(Runnable call, ErrorKind kind, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(TunnelApiException.class, e -> {
          assertThat(e.kind()).isEqualTo(kind);
          assertThat(e.getMessage()).contains(messagePart);
        });
  }

  private static String randomLabel() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      out.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private List<String> storedHashes(String tunnelId) {
    return database.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT secret_hash FROM tunnel_tokens WHERE tunnel_id = ? ORDER BY version")) {
        s.setString(1, tunnelId);
        List<String> out = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            out.add(rows.getString(1));
          }
        }
        return out;
      }
    });
  }

  private int currentTokenCount(String tunnelId) {
    return database.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT COUNT(*) FROM tunnel_tokens WHERE tunnel_id = ? AND retired_at IS NULL")) {
        s.setString(1, tunnelId);
        try (ResultSet rows = s.executeQuery()) {
          rows.next();
          return rows.getInt(1);
        }
      }
    });
  }
}
