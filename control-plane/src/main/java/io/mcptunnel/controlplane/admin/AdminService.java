package io.mcptunnel.controlplane.admin;

import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.federation.AuthenticationHistory;
import io.mcptunnel.controlplane.federation.AuthenticationRecord;
import io.mcptunnel.controlplane.federation.FederationIssuer;
import io.mcptunnel.controlplane.federation.FederationRule;
import io.mcptunnel.controlplane.federation.jdbc.JdbcFederationDirectory;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.tunnels.Actor;
import io.mcptunnel.controlplane.tunnels.ErrorKind;
import io.mcptunnel.controlplane.tunnels.TunnelApiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;

/**
 * The admin operations behind {@code /v1/admin/…} and {@code mcptunnel admin …}. Organizations
 * belong to the server {@link Operator}; everything else to an organization admin (an
 * {@link Actor} not bound to a workspace), always within the actor's own organization, so one
 * organization never sees or changes another's objects. Every change and every refused change is
 * audited; refusals are {@link TunnelApiException}s whose message names the field.
 */
public final class AdminService {
  private static final int MAX_OUTCOME = 512;

  private final Database database;
  private final AuditLog audit;
  private final JdbcFederationDirectory directory;
  private final AuthenticationHistory history;
  private final Clock clock;
  private final TenancyStore tenancy = new TenancyStore();

  public AdminService(Database database, AuditLog audit, JdbcFederationDirectory directory,
      AuthenticationHistory history, Clock clock) {
    this.database = database;
    this.audit = audit;
    this.directory = directory;
    this.history = history;
    this.clock = clock;
  }

  // --- organizations (operator) ---

  public Organization createOrganization(Operator operator, String displayName, Integer maxActiveTunnels,
      String reason) {
    // Validated before the audit target exists: a refused creation has no organization to file under.
    Organization o = new Organization(AdminIds.newId(AdminIds.ORGANIZATION), AdminInput.displayName(displayName),
        AdminInput.maxActiveTunnels(maxActiveTunnels), now());
    AdminInput.reason(reason);
    Actor asActor = new Actor(o.id(), null, operator.principal(), operator.sourceAddress());
    return audited(asActor, "organization.create", reason, Organization::id, c -> {
      tenancy.insertOrganization(c, o);
      return o;
    });
  }

  /**
   * Changes the organization's settings; today only {@code ssoRequired}. Audited as
   * {@code organization.update} with the new value in the outcome, e.g. {@code success (sso_required: true)}.
   */
  public Organization updateOrganization(Actor admin, Boolean ssoRequired, String reason) {
    String note = ssoRequired == null ? "" : " (sso_required: " + ssoRequired + ")";
    return audited(admin, "organization.update", reason, Organization::id, note, c -> {
      if (ssoRequired == null) {
        throw AdminInput.invalid("sso_required: required (expected: true or false)");
      }
      if (!tenancy.updateSsoRequired(c, admin.organizationId(), ssoRequired)) {
        throw notFound("organization " + admin.organizationId());
      }
      return tenancy.organizations(c).stream().filter(o -> o.id().equals(admin.organizationId()))
          .findFirst().orElseThrow(); // updated above, in this transaction
    });
  }

  public Organization getOrganization(Actor admin) {
    return read(admin, c -> tenancy.organizations(c).stream().filter(o -> o.id().equals(admin.organizationId()))
        .findFirst().orElseThrow(() -> notFound("organization " + admin.organizationId())));
  }

  public List<Organization> listOrganizations(Operator operator) {
    return database.inTransaction(tenancy::organizations);
  }

  // --- workspaces ---

  public Workspace createWorkspace(Actor admin, String displayName, String reason) {
    return audited(admin, "workspace.create", reason, Workspace::id, c -> {
      Workspace w = new Workspace(AdminIds.newId(AdminIds.WORKSPACE), admin.organizationId(),
          AdminInput.displayName(displayName), now());
      tenancy.insertWorkspace(c, w);
      return w;
    });
  }

  public List<Workspace> listWorkspaces(Actor admin) {
    return read(admin, c -> tenancy.workspaces(c, admin.organizationId()));
  }

  // --- service accounts ---

  public ServiceAccount createServiceAccount(Actor admin, String displayName, List<String> workspaceIds,
      String reason) {
    return audited(admin, "service_account.create", reason, ServiceAccount::id, c -> {
      String id = AdminIds.newId(AdminIds.SERVICE_ACCOUNT);
      String name = AdminInput.displayName(displayName);
      List<String> workspaces = List.copyOf(new LinkedHashSet<>(workspaceIds == null ? List.of() : workspaceIds));
      for (String ws : workspaces) {
        requireWorkspace(c, admin, "workspace_ids", ws);
      }
      Instant now = now();
      tenancy.insertServiceAccount(c, id, admin.organizationId(), name, now);
      for (String ws : workspaces) {
        tenancy.insertMembership(c, id, ws, now);
      }
      return tenancy.serviceAccount(c, admin.organizationId(), id).orElseThrow();
    });
  }

  public ServiceAccount addServiceAccountToWorkspace(Actor admin, String serviceAccountId, String workspaceId,
      String reason) {
    return audited(admin, "service_account.workspace.add", reason, ServiceAccount::id, c -> {
      ServiceAccount sa = serviceAccount(c, admin, serviceAccountId);
      requireWorkspace(c, admin, "workspace_id", workspaceId);
      if (sa.workspaceIds().contains(workspaceId)) {
        throw new TunnelApiException(ErrorKind.CONFLICT,
            "workspace_id: " + workspaceId + " (service account is already a member)");
      }
      tenancy.insertMembership(c, sa.id(), workspaceId, now());
      return tenancy.serviceAccount(c, admin.organizationId(), sa.id()).orElseThrow();
    });
  }

  public List<ServiceAccount> listServiceAccounts(Actor admin) {
    return read(admin, c -> tenancy.serviceAccounts(c, admin.organizationId(), null));
  }

  public ServiceAccount getServiceAccount(Actor admin, String serviceAccountId) {
    return read(admin, c -> serviceAccount(c, admin, serviceAccountId));
  }

  // --- federation ---

  public FederationIssuer createIssuer(Actor admin, IssuerInput input, String reason) {
    return audited(admin, "federation.issuer.create", reason, FederationIssuer::id, c -> {
      FederationIssuer issuer = AdminInput.issuer(AdminIds.newId(AdminIds.ISSUER), admin.organizationId(), input);
      directory.insert(c, issuer, now());
      return issuer;
    });
  }

  public List<FederationIssuer> listIssuers(Actor admin) {
    return read(admin, c -> directory.issuers(c, admin.organizationId()));
  }

  public FederationIssuer getIssuer(Actor admin, String issuerId) {
    return read(admin, c -> directory.issuer(c, issuerId)
        .filter(i -> i.organizationId().equals(admin.organizationId()))
        .orElseThrow(() -> notFound("federation issuer " + issuerId)));
  }

  public FederationRule createRule(Actor admin, RuleInput input, String reason) {
    return audited(admin, "federation.rule.create", reason, FederationRule::id, c -> {
      FederationRule rule = AdminInput.rule(AdminIds.newId(AdminIds.RULE), admin.organizationId(), input);
      RuleReferences.check(c, admin.organizationId(), rule, directory, tenancy);
      directory.insert(c, rule, now());
      return rule;
    });
  }

  public List<FederationRule> listRules(Actor admin) {
    return read(admin, c -> directory.rules(c, admin.organizationId()));
  }

  public FederationRule getRule(Actor admin, String ruleId) {
    return read(admin, c -> directory.rule(c, ruleId)
        .filter(r -> r.organizationId().equals(admin.organizationId()))
        .orElseThrow(() -> notFound("federation rule " + ruleId)));
  }

  /** The organization's token-exchange attempts, newest first, with their precise causes. */
  public List<AuthenticationRecord> authenticationHistory(Actor admin, Integer limit) {
    requireOrganizationAdmin(admin);
    return history.recent(admin.organizationId(), AdminInput.historyLimit(limit));
  }

  // --- shared steps ---

  private ServiceAccount serviceAccount(Connection c, Actor admin, String id) throws SQLException {
    return tenancy.serviceAccount(c, admin.organizationId(), id)
        .orElseThrow(() -> notFound("service account " + id));
  }

  private void requireWorkspace(Connection c, Actor admin, String field, String workspaceId) throws SQLException {
    if (workspaceId == null || !tenancy.workspaceInOrganization(c, workspaceId, admin.organizationId())) {
      throw AdminInput.invalid(field + ": " + workspaceId + " (expected: a workspace of this organization)");
    }
  }

  static TunnelApiException notFound(String what) {
    // The same answer for absent and foreign objects, so ids of other organizations cannot be probed.
    return new TunnelApiException(ErrorKind.NOT_FOUND, what + " not found");
  }

  private static void requireOrganizationAdmin(Actor actor) {
    if (actor.workspaceId() != null) {
      throw new TunnelApiException(ErrorKind.PERMISSION,
          "organization admin required (credential is bound to workspace " + actor.workspaceId() + ")");
    }
  }

  private <T> T read(Actor admin, Database.Work<T> work) {
    requireOrganizationAdmin(admin);
    return database.inTransaction(work);
  }

  /** Runs a change with its audit entry in one transaction; audits a refusal separately. */
  private <T> T audited(Actor actor, String action, String reason, Function<T, String> target,
      Database.Work<T> change) {
    return audited(actor, action, reason, target, "", change);
  }

  /** As above; {@code note} ends the outcome (e.g. the new value of a setting) and survives its truncation. */
  private <T> T audited(Actor actor, String action, String reason, Function<T, String> target, String note,
      Database.Work<T> change) {
    try {
      requireOrganizationAdmin(actor);
      AdminInput.reason(reason);
      return database.inTransaction(c -> {
        T result = change.run(c);
        audit.append(c, event(actor, action, target.apply(result), reason, AuditEvent.SUCCESS, note));
        return result;
      });
    } catch (TunnelApiException e) {
      audit.append(event(actor, action, null, fit(reason, AdminInput.MAX_REASON), "denied: " + e.kind().type()
          + ": " + e.getMessage(), note));
      throw e;
    }
  }

  private AuditEvent event(Actor actor, String action, String target, String reason, String outcome, String note) {
    return new AuditEvent(0, actor.organizationId(), now(), actor.principal(), actor.sourceAddress(), action,
        target, reason, fit(outcome, MAX_OUTCOME - note.length()) + note);
  }

  private static String fit(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

  /** Microseconds: what both databases keep, so a stored time reads back equal. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
