package io.mcptunnel.controlplane.internal;

import io.mcptunnel.controlplane.admin.Operator;
import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.tunnels.ErrorKind;
import io.mcptunnel.controlplane.tunnels.TunnelApiException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Internal clients (the server operator's): create (the credential is returned once and never
 * again), list, revoke (idempotent), and the credential check the internal API runs on every
 * request, so a revoked client is refused from its next request on. Changes are audited in their
 * transaction, under the caller's organization or, for edges (no organization), under
 * {@link #SERVER_AUDIT_SCOPE}; an audit entry never holds the credential.
 */
public final class InternalClientService {
  /** The audit "organization" of server-wide events (edge clients); no organization id looks like it. */
  public static final String SERVER_AUDIT_SCOPE = "server";
  static final int MAX_REASON = 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_OUTCOME = 512;
  // Compared against when the id is unknown, so the answer takes as long as for a known one.
  private static final String NO_HASH = "0".repeat(64);

  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final InternalClientStore store = new InternalClientStore();

  /** A new client and its credential; {@link #toString()} leaves the credential out. */
  public record Created(InternalClient client, String credential) {
    @Override
    public String toString() {
      return "Created[client=" + client + ", credential=<redacted>]";
    }
  }

  /** The outcome of a credential check: the client, or why not (for the log; never the credential). */
  public record Verdict(InternalClient client, String refusal) {
    public boolean accepted() {
      return client != null;
    }
  }

  public InternalClientService(Database database, AuditLog audit, Clock clock) {
    this.database = database;
    this.audit = audit;
    this.clock = clock;
  }

  public Created create(Operator operator, String name, String role, String organizationId, String reason) {
    String scope = SERVER_AUDIT_SCOPE;
    try {
      if (name == null || !NAME.matcher(name).matches()) {
        throw invalid("name: (expected: 1-64 characters of A-Z a-z 0-9 _ . -)");
      }
      InternalRole r = InternalRole.parse(role).orElseThrow(() -> invalid("role: " + (role == null ? "required"
          : role) + " (expected: edge or caller)"));
      if (r == InternalRole.CALLER && organizationId == null) {
        throw invalid("organization_id: required for role caller");
      }
      if (r == InternalRole.EDGE && organizationId != null) {
        throw invalid("organization_id: must be absent for role edge (an edge serves every organization)");
      }
      requireReason(reason);
      String id = newId();
      InternalCredential.Issued issued = InternalCredential.issue(id);
      InternalClient client = new InternalClient(id, name, r, organizationId, now(), null);
      return database.inTransaction(c -> {
        if (organizationId != null && !store.organizationExists(c, organizationId)) {
          throw new TunnelApiException(ErrorKind.NOT_FOUND, "organization " + organizationId + " not found");
        }
        store.insert(c, client, issued.stored().secretSha256());
        audit.append(c, event(operator, scopeOf(client), "internal_client.create", id, reason, AuditEvent.SUCCESS));
        return new Created(client, issued.credential());
      });
    } catch (TunnelApiException e) {
      audit.append(event(operator, scope, "internal_client.create", null, fit(reason, MAX_REASON),
          "denied: " + e.kind().type() + ": " + e.getMessage()));
      throw e;
    }
  }

  public List<InternalClient> list(Operator operator) {
    return database.inTransaction(store::list);
  }

  /** Idempotent: a repeat returns the record of the first revocation. */
  public InternalClient revoke(Operator operator, String clientId, String reason) {
    requireReason(reason);
    return database.inTransaction(c -> {
      InternalClient client = store.find(c, clientId, true)
          .orElseThrow(() -> new TunnelApiException(ErrorKind.NOT_FOUND, "internal client " + clientId + " not found"))
          .client();
      InternalClient result = client;
      if (!client.revoked()) {
        Instant now = now();
        store.revoke(c, client.id(), now);
        result = new InternalClient(client.id(), client.name(), client.role(), client.organizationId(),
            client.createdAt(), now);
      }
      audit.append(c, event(operator, scopeOf(client), "internal_client.revoke", client.id(), reason,
          AuditEvent.SUCCESS));
      return result;
    });
  }

  /** Checks a presented credential (the bearer value); reads the database every time. */
  public Verdict authenticate(String credential) {
    Optional<InternalCredential> presented = InternalCredential.parse(credential);
    if (presented.isEmpty()) {
      return new Verdict(null, "malformed");
    }
    Optional<InternalClientStore.Stored> stored =
        database.inTransaction(c -> store.find(c, presented.get().clientId(), false));
    boolean matches = presented.get().matches(stored.map(InternalClientStore.Stored::secretSha256).orElse(NO_HASH));
    if (stored.isEmpty()) {
      return new Verdict(null, "unknown client");
    }
    if (!matches) {
      return new Verdict(null, "wrong secret");
    }
    if (stored.get().client().revoked()) {
      return new Verdict(null, "revoked");
    }
    return new Verdict(stored.get().client(), null);
  }

  private static String scopeOf(InternalClient client) {
    return client.organizationId() == null ? SERVER_AUDIT_SCOPE : client.organizationId();
  }

  private static void requireReason(String reason) {
    if (reason != null && reason.length() > MAX_REASON) {
      throw invalid("reason: " + reason.length() + " characters (expected: at most " + MAX_REASON + ")");
    }
  }

  private static TunnelApiException invalid(String message) {
    return new TunnelApiException(ErrorKind.INVALID_REQUEST, message);
  }

  private static String newId() {
    StringBuilder out = new StringBuilder(InternalCredential.ID_PREFIX);
    for (int i = 0; i < 24; i++) {
      out.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return out.toString();
  }

  private AuditEvent event(Operator operator, String scope, String action, String target, String reason,
      String outcome) {
    return new AuditEvent(0, scope, now(), operator.principal(), operator.sourceAddress(), action, target, reason,
        fit(outcome, MAX_OUTCOME));
  }

  private static String fit(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  /** Microseconds: what both databases keep, so a stored time reads back equal. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
