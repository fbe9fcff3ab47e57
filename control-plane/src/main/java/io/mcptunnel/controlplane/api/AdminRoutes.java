package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.admin.AdminService;
import io.mcptunnel.controlplane.admin.IssuerInput;
import io.mcptunnel.controlplane.admin.Operator;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.internal.InternalClientService;
import io.mcptunnel.controlplane.tunnels.Actor;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The admin API under {@code /v1/admin} mapped onto {@link AdminService}. Every call carries the
 * server operator's admin token; paths under {@code organizations/{org}/…} act as that
 * organization's admin, {@code audit} and {@code audit/export} read the server-wide audit scope. As in {@link TunnelRoutes}: path (404), then method (405), then credentials.
 */
final class AdminRoutes {
  static final String PREFIX = "/v1/admin";
  static final String NDJSON = "application/x-ndjson";
  private static final int MAX_AUDIT_LIMIT = 1000;

  private final AdminService service;
  private final AuditLog audit;
  private final AdminAuthenticator authenticator;
  private final InternalClientService internalClients;

  private interface Action {
    void run(Operator operator, HttpCall call, List<String> rest);

    /** An action whose JSON result is sent as a 200. */
    interface Json {
      JsonNode run(Operator operator, HttpCall call, List<String> rest);
    }
  }

  AdminRoutes(AdminService service, AuditLog audit, AdminAuthenticator authenticator,
      InternalClientService internalClients) {
    this.internalClients = internalClients;
    this.service = service;
    this.audit = audit;
    this.authenticator = authenticator;
  }

  void handle(HttpCall call) {
    String[] parts = call.path().substring(PREFIX.length()).split("/", -1);
    List<String> rest = List.of(parts).subList(1, parts.length);
    Map<String, Action> byMethod = rest.isEmpty() || rest.stream().anyMatch(String::isEmpty) ? Map.of()
        : rest.get(0).equals("organizations") ? routes(rest)
        : rest.get(0).equals("internal_clients") ? internalClientRoutes(rest)
        : rest.get(0).equals("audit") ? serverAuditRoutes(rest) : Map.of();
    if (byMethod.isEmpty()) {
      throw ApiError.notFound("no such path: " + call.path());
    }
    Action action = byMethod.get(call.method());
    if (action == null) {
      call.allow(String.join(", ", byMethod.keySet()));
      throw new ApiError(405, ApiError.INVALID_REQUEST,
          call.method() + " not allowed on this path (expected: " + String.join(" or ", byMethod.keySet()) + ")");
    }
    action.run(authenticator.authenticate(call.header(HttpHeader.AUTHORIZATION), call.sourceAddress()), call, rest);
  }

  /** Methods by path shape; {@code rest} starts with "organizations". */
  private Map<String, Action> routes(List<String> rest) {
    if (rest.size() == 1) {
      return Map.of("GET", json((Action.Json) (o, c, r) -> ApiJson.list(service.listOrganizations(o), Optional.empty(),
          AdminJson::organization)), "POST", json(this::createOrganization));
    }
    String what = rest.size() >= 3 ? rest.get(2) : "";
    return switch (rest.size()) {
      case 2 -> Map.of("GET", org((a, c) -> AdminJson.organization(service.getOrganization(a))),
          "PATCH", org(this::updateOrganization));
      case 3 -> switch (what) {
        case "workspaces" -> Map.of("GET", org((a, c) -> ApiJson.list(service.listWorkspaces(a), Optional.empty(),
            AdminJson::workspace)), "POST", org(this::createWorkspace));
        case "service_accounts" -> Map.of("GET", org((a, c) -> ApiJson.list(service.listServiceAccounts(a),
            Optional.empty(), AdminJson::serviceAccount)), "POST", org(this::createServiceAccount));
        case "federation_issuers" -> Map.of("GET", org((a, c) -> ApiJson.list(service.listIssuers(a),
            Optional.empty(), AdminJson::issuer)), "POST", org(this::createIssuer));
        case "federation_rules" -> Map.of("GET", org((a, c) -> ApiJson.list(service.listRules(a),
            Optional.empty(), AdminJson::rule)), "POST", org(this::createRule));
        case "authentication_history" -> Map.of("GET", org((a, c) -> ApiJson.list(
            service.authenticationHistory(a, integer(c, "limit")), Optional.empty(), AdminJson::authentication)));
        case "audit" -> Map.of("GET", org(this::auditQuery));
        default -> Map.of();
      };
      case 4 -> what.equals("audit") && rest.get(3).equals("export") ? Map.of("GET", this::auditExport) : Map.of();
      case 5 -> what.equals("service_accounts") && rest.get(4).equals("workspaces")
          ? Map.of("POST", org(this::addToWorkspace)) : Map.of();
      default -> Map.of();
    };
  }

  /** {@code rest} starts with "internal_clients": the server operator's, like organizations. */
  private Map<String, Action> internalClientRoutes(List<String> rest) {
    return switch (rest.size()) {
      case 1 -> Map.of("GET", json((Action.Json) (o, c, r) -> ApiJson.list(internalClients.list(o), Optional.empty(),
          AdminJson::internalClient)),
          // The answer holds the credential: never cached anywhere on the way.
          "POST", (o, c, r) -> c.send(200, createInternalClient(o, c, r), true));
      case 3 -> rest.get(2).equals("revoke") ? Map.of("POST", json(this::revokeInternalClient)) : Map.of();
      default -> Map.of();
    };
  }

  /**
   * {@code rest} starts with "audit": the server-wide scope ({@link InternalClientService#SERVER_AUDIT_SCOPE},
   * e.g. edge internal clients), read by the operator like an organization's audit log.
   */
  private Map<String, Action> serverAuditRoutes(List<String> rest) {
    String scope = InternalClientService.SERVER_AUDIT_SCOPE;
    return switch (rest.size()) {
      case 1 -> Map.of("GET", json((Action.Json) (o, c, r) -> auditQuery(scope, c)));
      case 2 -> rest.get(1).equals("export") ? Map.of("GET", (o, c, r) -> auditExport(scope, c)) : Map.of();
      default -> Map.of();
    };
  }

  private JsonNode createInternalClient(Operator operator, HttpCall call, List<String> rest) {
    ObjectNode b = call.jsonObject(Set.of("name", "role", "organization_id", "reason"));
    InternalClientService.Created created = internalClients.create(operator, HttpCall.optionalString(b, "name"),
        HttpCall.optionalString(b, "role"), HttpCall.optionalString(b, "organization_id"),
        HttpCall.optionalString(b, "reason"));
    // The one and only time the credential leaves the server.
    return AdminJson.internalClient(created.client()).put("credential", created.credential());
  }

  private JsonNode revokeInternalClient(Operator operator, HttpCall call, List<String> rest) {
    ObjectNode b = call.jsonObject(Set.of("reason"));
    return AdminJson.internalClient(internalClients.revoke(operator, rest.get(1), HttpCall.optionalString(b, "reason")));
  }

  private JsonNode createOrganization(Operator operator, HttpCall call, List<String> rest) {
    ObjectNode b = call.jsonObject(Set.of("display_name", "max_active_tunnels", "reason"));
    return AdminJson.organization(service.createOrganization(operator, HttpCall.optionalString(b, "display_name"),
        AdminJson.optionalInt(b, "max_active_tunnels"), HttpCall.optionalString(b, "reason")));
  }

  private JsonNode updateOrganization(Actor admin, HttpCall call) {
    ObjectNode b = call.jsonObject(Set.of("sso_required", "reason"));
    // Absent: the service refuses it (audited), naming the field.
    Boolean ssoRequired = b.has("sso_required") ? HttpCall.optionalBoolean(b, "sso_required") : null;
    return AdminJson.organization(service.updateOrganization(admin, ssoRequired, HttpCall.optionalString(b, "reason")));
  }

  private JsonNode createWorkspace(Actor admin, HttpCall call) {
    ObjectNode b = call.jsonObject(Set.of("display_name", "reason"));
    return AdminJson.workspace(service.createWorkspace(admin, HttpCall.optionalString(b, "display_name"),
        HttpCall.optionalString(b, "reason")));
  }

  private JsonNode createServiceAccount(Actor admin, HttpCall call) {
    ObjectNode b = call.jsonObject(Set.of("display_name", "workspace_ids", "reason"));
    return AdminJson.serviceAccount(service.createServiceAccount(admin, HttpCall.optionalString(b, "display_name"),
        AdminJson.stringList(b, "workspace_ids"), HttpCall.optionalString(b, "reason")));
  }

  private JsonNode addToWorkspace(Actor admin, HttpCall call) {
    ObjectNode b = call.jsonObject(Set.of("workspace_id", "reason"));
    String serviceAccount = call.path().split("/")[6];
    return AdminJson.serviceAccount(service.addServiceAccountToWorkspace(admin, serviceAccount,
        HttpCall.requiredString(b, "workspace_id"), HttpCall.optionalString(b, "reason")));
  }

  private JsonNode createIssuer(Actor admin, HttpCall call) {
    ObjectNode b = call.jsonObject(Set.of("issuer_url", "jwks_source", "jwks_url", "jwks", "reason"));
    JsonNode jwks = b.get("jwks");
    String jwksJson = jwks == null || jwks.isNull() ? null : jwks.isTextual() ? jwks.textValue() : jwks.toString();
    IssuerInput in = new IssuerInput(HttpCall.optionalString(b, "issuer_url"),
        HttpCall.optionalString(b, "jwks_source"), HttpCall.optionalString(b, "jwks_url"), jwksJson);
    return AdminJson.issuer(service.createIssuer(admin, in, HttpCall.optionalString(b, "reason")));
  }

  private JsonNode createRule(Actor admin, HttpCall call) {
    ObjectNode b = call.jsonObject(AdminJson.RULE_FIELDS);
    return AdminJson.rule(service.createRule(admin, AdminJson.ruleInput(b), HttpCall.optionalString(b, "reason")));
  }

  private JsonNode auditQuery(Actor admin, HttpCall call) {
    return auditQuery(admin.organizationId(), call);
  }

  private JsonNode auditQuery(String scope, HttpCall call) {
    Integer after = integer(call, "after_id");
    Integer limit = integer(call, "limit");
    if ((after != null && after < 0) || (limit != null && (limit < 1 || limit > MAX_AUDIT_LIMIT))) {
      throw ApiError.invalid("after_id must be >= 0 and limit 1-" + MAX_AUDIT_LIMIT);
    }
    return ApiJson.list(audit.query(scope, after == null ? 0 : after, limit == null ? 100 : limit),
        Optional.empty(), AdminJson::audit);
  }

  private void auditExport(Operator operator, HttpCall call, List<String> rest) {
    auditExport(actor(operator, rest).organizationId(), call);
  }

  private void auditExport(String scope, HttpCall call) {
    StringWriter out = new StringWriter();
    audit.exportJsonLines(scope, out);
    call.sendText(200, NDJSON, out.toString());
  }

  /** An action as an organization's admin: the operator acting within {@code rest.get(1)}. */
  private Action org(java.util.function.BiFunction<Actor, HttpCall, JsonNode> f) {
    return (o, c, r) -> c.send(200, f.apply(actor(o, r), c));
  }

  private static Action json(Action.Json f) {
    return (o, c, r) -> c.send(200, f.run(o, c, r));
  }

  private Actor actor(Operator operator, List<String> rest) {
    String organization = rest.get(1);
    // The same 404 for absent and malformed ids; checked before any write so no row dangles.
    if (service.listOrganizations(operator).stream().noneMatch(o -> o.id().equals(organization))) {
      throw ApiError.notFound("organization " + organization + " not found");
    }
    return new Actor(organization, null, operator.principal(), operator.sourceAddress());
  }

  private static Integer integer(HttpCall call, String name) {
    String value = call.queryParameter(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid(name + ": not an integer");
    }
  }
}
