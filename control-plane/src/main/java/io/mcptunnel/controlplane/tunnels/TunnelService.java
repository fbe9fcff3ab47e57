package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.store.StoreException;
import io.mcptunnel.pki.CaCertificateValidator;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.ValidationResult;
import io.mcptunnel.tunnel.TunnelToken;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Tunnels API operations of SPEC §4.1, without HTTP. Each change runs in one transaction that
 * also appends its audit entry; a refused change is audited on its own. State checks that race
 * (active-tunnel limit, certificate slots, archive) run with the owning row locked. A change to
 * what edges hold (create, archive, rotation, certificates) also advances the state clock, last,
 * and then tells {@code stateChanged} (which wakes this instance's edge long-polls).
 */
public final class TunnelService {
  static final int DEFAULT_PAGE_LIMIT = 20;
  static final int MAX_PAGE_LIMIT = 1000;
  static final int MAX_DISPLAY_NAME = 256;
  static final int MAX_REASON = 1024;
  private static final int DOMAIN_ATTEMPTS = 10;
  private static final int MAX_OUTCOME = 512; // the audit column's width
  /** Appended to a severing rotation's audit outcome, success or refusal alike. */
  public static final String SEVER_EXISTING_NOTE = " (sever_existing: true)";

  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final TunnelServiceConfig config;
  private final TokenDerivation tokens;
  private final TunnelStore store = new TunnelStore();
  private final Runnable stateChanged;

  public TunnelService(Database database, AuditLog audit, Clock clock, TunnelServiceConfig config) {
    this(database, audit, clock, config, () -> {});
  }

  /** {@code stateChanged} runs after each committed edge-relevant change (a repeat may run it too). */
  public TunnelService(Database database, AuditLog audit, Clock clock, TunnelServiceConfig config,
      Runnable stateChanged) {
    this.stateChanged = stateChanged;
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.config = config;
    this.tokens = new TokenDerivation(config.tokenKey());
  }

  public Tunnel create(Actor actor, String displayName) {
    if (displayName != null && displayName.length() > MAX_DISPLAY_NAME) {
      throw TunnelApiException.invalid("display_name: at most " + MAX_DISPLAY_NAME + " characters");
    }
    if (actor.workspaceId() == null) {
      throw TunnelApiException.invalid("a workspace is required to create a tunnel");
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return announced(audited(actor, "tunnel.create", null, null, c -> insertTunnel(c, actor, displayName)));
      } catch (StoreException e) {
        // Another organization took the same fresh domain between our check and insert.
        if (!e.uniqueViolation() || attempt == DOMAIN_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Tunnel insertTunnel(Connection c, Actor actor, String displayName) throws SQLException {
    OptionalInt own = store.lockOrganization(c, actor.organizationId())
        .orElseThrow(() -> TunnelApiException.notFound("organization not found"));
    if (!store.workspaceInOrganization(c, actor.workspaceId(), actor.organizationId())) {
      throw TunnelApiException.notFound("workspace not found");
    }
    int limit = own.orElse(config.defaultMaxActiveTunnels());
    if (store.countActiveTunnels(c, actor.organizationId()) >= limit) {
      throw TunnelApiException.conflict("active tunnel limit reached: at most " + limit
          + " active tunnels per organization; archive one first");
    }
    Instant now = now();
    Tunnel tunnel = new Tunnel(Ids.newId(Ids.TUNNEL), actor.organizationId(), actor.workspaceId(),
        displayName, freshDomain(c), now, null);
    store.insertTunnel(c, tunnel);
    insertToken(c, tunnel.id(), 1, now);
    store.markStateChanged(c, tunnel.id());
    return tunnel;
  }

  private String freshDomain(Connection c) throws SQLException {
    for (int i = 0; i < DOMAIN_ATTEMPTS; i++) {
      String domain = config.domainLabels().get() + "." + config.tunnelZone();
      if (!store.domainEverUsed(c, domain)) {
        return domain;
      }
    }
    throw new IllegalStateException("no unused tunnel domain after " + DOMAIN_ATTEMPTS + " draws");
  }

  public Page<Tunnel> list(Actor actor, boolean includeArchived, Integer limit, String page) {
    int size = limit == null ? DEFAULT_PAGE_LIMIT : limit;
    if (size < 1 || size > MAX_PAGE_LIMIT) {
      throw TunnelApiException.invalid("limit: " + size + " (expected: 1 to " + MAX_PAGE_LIMIT + ")");
    }
    long before = page == null ? Long.MAX_VALUE : PageCursor.decode(page);
    List<TunnelStore.Sequenced> rows = database.inTransaction(c -> store.listTunnels(
        c, actor.organizationId(), actor.workspaceId(), includeArchived, before, size + 1));
    List<Tunnel> data = rows.stream().limit(size).map(TunnelStore.Sequenced::tunnel).toList();
    Optional<String> next = rows.size() > size
        ? Optional.of(PageCursor.encode(rows.get(size - 1).seq()))
        : Optional.empty();
    return new Page<>(data, next);
  }

  public Tunnel get(Actor actor, String tunnelId) {
    return database.inTransaction(c -> visibleTunnel(c, actor, tunnelId, false));
  }

  /** Irreversible and idempotent: a repeat returns the record of the first archive. */
  public Tunnel archive(Actor actor, String tunnelId) {
    return announced(audited(actor, "tunnel.archive", tunnelId, null, c -> {
      Tunnel tunnel = visibleTunnel(c, actor, tunnelId, true);
      if (tunnel.archived()) {
        return tunnel;
      }
      Instant now = now();
      store.archiveTunnel(c, tunnel, now);
      store.markStateChanged(c, tunnel.id());
      return new Tunnel(tunnel.id(), tunnel.organizationId(), tunnel.workspaceId(),
          tunnel.displayName(), tunnel.domain(), tunnel.createdAt(), now);
    }));
  }

  /** The current token, derived again: the same value until the next rotation. */
  public RevealedToken revealToken(Actor actor, String tunnelId) {
    return audited(actor, "tunnel.token.reveal", tunnelId, null, c -> {
      Tunnel tunnel = requireActive(visibleTunnel(c, actor, tunnelId, false));
      TunnelStore.CurrentToken current = store.currentToken(c, tunnel.id()).orElseThrow();
      return reveal(tunnel.id(), current.id());
    });
  }

  /** A new token id (and so a new value); the old value is refused for new connections. */
  public RevealedToken rotateToken(Actor actor, String tunnelId, String reason) {
    return rotateToken(actor, tunnelId, reason, false);
  }

  /**
   * As {@link #rotateToken(Actor, String, String)}; with {@code severExisting} every older token
   * is also marked severed, so edges close the live connections those tokens admitted (connections
   * made with the new token stay). The audit outcome carries {@link #SEVER_EXISTING_NOTE}.
   */
  public RevealedToken rotateToken(Actor actor, String tunnelId, String reason, boolean severExisting) {
    if (reason != null && reason.length() > MAX_REASON) {
      throw TunnelApiException.invalid("reason: at most " + MAX_REASON + " characters");
    }
    String note = severExisting ? SEVER_EXISTING_NOTE : null;
    return announced(audited(actor, "tunnel.token.rotate", tunnelId, reason, note, c -> {
      Tunnel tunnel = requireActive(visibleTunnel(c, actor, tunnelId, true));
      TunnelStore.CurrentToken current = store.currentToken(c, tunnel.id()).orElseThrow();
      Instant now = now();
      store.retireToken(c, current.id(), now);
      if (severExisting) {
        store.severRetiredTokens(c, tunnel.id(), now);
      }
      String next = insertToken(c, tunnel.id(), current.version() + 1, now);
      store.markStateChanged(c, tunnel.id());
      return reveal(tunnel.id(), next);
    }));
  }

  /** For the edge: may this token open a new connection? Not audited: it is no API action. */
  public TokenVerdict checkToken(String presented) {
    Optional<TunnelToken> token = TunnelToken.parse(presented);
    if (token.isEmpty()) {
      return TokenVerdict.UNKNOWN;
    }
    return database.inTransaction(c -> {
      Optional<TokenVerdict.StoredToken> stored = store.findToken(c, token.get().tokenId());
      boolean archived = store.findTunnel(c, token.get().tunnelId(), false)
          .map(Tunnel::archived).orElse(false);
      return TokenVerdict.judge(token.get(), stored, archived);
    });
  }

  public TunnelCertificate registerCertificate(Actor actor, String tunnelId, String caCertificatePem) {
    return announced(audited(actor, "tunnel.certificate.register", tunnelId, null, c -> {
      Tunnel tunnel = requireActive(visibleTunnel(c, actor, tunnelId, true));
      Instant now = now();
      X509Certificate ca = acceptableCa(caCertificatePem, now);
      CertificateSlots.requireFreeSlot(store.countActiveCertificates(c, tunnel.id()));
      TunnelCertificate certificate = new TunnelCertificate(Ids.newId(Ids.CERTIFICATE),
          tunnel.id(), caCertificatePem, Fingerprints.sha256Hex(ca), now,
          ca.getNotAfter().toInstant(), null);
      store.insertCertificate(c, certificate);
      store.markStateChanged(c, tunnel.id());
      return certificate;
    }));
  }

  /** SPEC §4.1 CA rules; the failure message names the rule that failed. */
  private static X509Certificate acceptableCa(String pem, Instant now) {
    ValidationResult result = CaCertificateValidator.validatePem(pem, now);
    if (!result.valid()) {
      throw TunnelApiException.invalid("ca_certificate_pem: " + result.failure());
    }
    return result.certificate().orElseThrow();
  }

  public List<TunnelCertificate> listCertificates(Actor actor, String tunnelId) {
    return database.inTransaction(c ->
        store.listCertificates(c, visibleTunnel(c, actor, tunnelId, false).id()));
  }

  public TunnelCertificate getCertificate(Actor actor, String tunnelId, String certificateId) {
    return database.inTransaction(c -> certificate(c, actor, tunnelId, certificateId, false));
  }

  /** Idempotent: a repeat returns the record of the first archive. */
  public TunnelCertificate archiveCertificate(Actor actor, String tunnelId, String certificateId) {
    return announced(audited(actor, "tunnel.certificate.archive", certificateId, null, c -> {
      TunnelCertificate cert = certificate(c, actor, tunnelId, certificateId, true);
      if (cert.archived()) {
        return cert;
      }
      Instant now = now();
      store.archiveCertificate(c, cert.id(), now);
      store.markStateChanged(c, cert.tunnelId());
      return new TunnelCertificate(cert.id(), cert.tunnelId(), cert.caCertificatePem(),
          cert.fingerprint(), cert.createdAt(), cert.expiresAt(), now);
    }));
  }

  private TunnelCertificate certificate(Connection c, Actor actor, String tunnelId,
      String certificateId, boolean lockTunnel) throws SQLException {
    Tunnel tunnel = visibleTunnel(c, actor, tunnelId, lockTunnel);
    return store.findCertificate(c, tunnel.id(), certificateId)
        .orElseThrow(() -> TunnelApiException.notFound("certificate " + certificateId + " not found"));
  }

  /**
   * The tunnel if the actor may see it: another organization's tunnel does not exist for them;
   * another workspace's is forbidden (SPEC §4.2).
   */
  private Tunnel visibleTunnel(Connection c, Actor actor, String tunnelId, boolean lock)
      throws SQLException {
    Optional<Tunnel> found = tunnelId == null ? Optional.empty() : store.findTunnel(c, tunnelId, lock);
    Tunnel tunnel = found.filter(t -> t.organizationId().equals(actor.organizationId()))
        .orElseThrow(() -> TunnelApiException.notFound("tunnel " + tunnelId + " not found"));
    if (actor.workspaceId() != null && !actor.workspaceId().equals(tunnel.workspaceId())) {
      throw new TunnelApiException(ErrorKind.PERMISSION,
          "tunnel " + tunnelId + " belongs to another workspace");
    }
    return tunnel;
  }

  private static Tunnel requireActive(Tunnel tunnel) {
    if (tunnel.archived()) {
      throw TunnelApiException.conflict("tunnel " + tunnel.id() + " is archived");
    }
    return tunnel;
  }

  private String insertToken(Connection c, String tunnelId, int version, Instant now)
      throws SQLException {
    String tokenId = Ids.newId(Ids.TOKEN);
    store.insertToken(c, tunnelId, tokenId, version, tokens.token(tunnelId, tokenId).secretHash(), now);
    return tokenId;
  }

  private RevealedToken reveal(String tunnelId, String tokenId) {
    TunnelToken token = tokens.token(tunnelId, tokenId);
    return new RevealedToken(tokenId, token.encode());
  }

  /** Runs a change with its audit entry in one transaction; audits a refusal separately. */
  private <T> T audited(Actor actor, String action, String target, String reason,
      Database.Work<T> change) {
    return audited(actor, action, target, reason, null, change);
  }

  /** {@code note}, when set, ends the outcome (and survives its truncation). */
  private <T> T audited(Actor actor, String action, String target, String reason, String note,
      Database.Work<T> change) {
    try {
      return database.inTransaction(c -> {
        T result = change.run(c);
        audit.append(c, event(actor, action, target == null ? targetOf(result) : target, reason,
            AuditEvent.SUCCESS, note));
        return result;
      });
    } catch (TunnelApiException e) {
      audit.append(event(actor, action, target, reason,
          "denied: " + e.kind().type() + ": " + e.getMessage(), note));
      throw e;
    }
  }

  /** After the commit: edges waiting on this instance hear of the change now, not at the next tick. */
  private <T> T announced(T result) {
    stateChanged.run();
    return result;
  }

  private static String targetOf(Object result) {
    return result instanceof Tunnel t ? t.id() : null;
  }

  private AuditEvent event(Actor actor, String action, String target, String reason, String outcome,
      String note) {
    String tail = note == null ? "" : note;
    int room = MAX_OUTCOME - tail.length();
    String fitted = (outcome.length() > room ? outcome.substring(0, room) : outcome) + tail;
    return new AuditEvent(0, actor.organizationId(), now(), actor.principal(),
        actor.sourceAddress(), action, target, reason, fitted);
  }

  /** Microseconds: what both databases keep, so a stored time reads back equal. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
