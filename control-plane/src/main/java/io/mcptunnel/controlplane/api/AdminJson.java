package io.mcptunnel.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.admin.Organization;
import io.mcptunnel.controlplane.admin.RuleInput;
import io.mcptunnel.controlplane.admin.ServiceAccount;
import io.mcptunnel.controlplane.admin.Workspace;
import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.federation.AuthenticationRecord;
import io.mcptunnel.controlplane.federation.FederationIssuer;
import io.mcptunnel.controlplane.federation.FederationRule;
import io.mcptunnel.controlplane.federation.JwksSource;
import io.mcptunnel.controlplane.internal.InternalClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The admin API's objects as JSON, by hand like {@link ApiJson}; an inline JWKS is never echoed. */
final class AdminJson {
  static final Set<String> RULE_FIELDS = Set.of("issuer_id", "match", "service_account_id", "workspace_id",
      "scope", "token_lifetime_seconds", "reason");

  private AdminJson() {}

  static ObjectNode organization(Organization o) {
    ObjectNode n = object(o.id(), "organization");
    n.put("display_name", o.displayName());
    n.put("max_active_tunnels", o.maxActiveTunnels());
    n.put("sso_required", o.ssoRequired());
    return n.put("created_at", time(o.createdAt()));
  }

  static ObjectNode workspace(Workspace w) {
    ObjectNode n = object(w.id(), "workspace");
    n.put("organization_id", w.organizationId());
    n.put("display_name", w.displayName());
    return n.put("created_at", time(w.createdAt()));
  }

  static ObjectNode serviceAccount(ServiceAccount s) {
    ObjectNode n = object(s.id(), "service_account");
    n.put("organization_id", s.organizationId());
    n.put("display_name", s.displayName());
    s.workspaceIds().forEach(n.putArray("workspace_ids")::add);
    return n.put("created_at", time(s.createdAt()));
  }

  static ObjectNode issuer(FederationIssuer i) {
    ObjectNode n = object(i.id(), "federation_issuer");
    n.put("organization_id", i.organizationId());
    n.put("issuer_url", i.issuer());
    JwksSource jwks = i.jwks();
    n.put("jwks_source", jwks instanceof JwksSource.Inline ? "inline"
        : jwks instanceof JwksSource.ExplicitUrl ? "explicit_url" : "discovery");
    if (jwks instanceof JwksSource.ExplicitUrl url) {
      n.put("jwks_url", url.url().toString());
    }
    return n;
  }

  static ObjectNode rule(FederationRule r) {
    ObjectNode n = object(r.id(), "federation_rule");
    n.put("organization_id", r.organizationId());
    n.put("issuer_id", r.issuerId());
    ObjectNode match = n.putObject("match");
    match.put("subject_prefix", r.match().subjectPrefix());
    match.put("audience", r.match().audience());
    ObjectNode claims = match.putObject("claims");
    r.match().claims().forEach(claims::put);
    n.put("service_account_id", r.serviceAccountId());
    n.put("workspace_id", r.workspaceId());
    n.put("scope", r.scope());
    return n.put("token_lifetime_seconds", r.tokenLifetimeSeconds());
  }

  static ObjectNode authentication(AuthenticationRecord a) {
    ObjectNode n = ApiJson.MAPPER.createObjectNode();
    n.put("type", "authentication_attempt");
    n.put("time", time(a.time()));
    n.put("succeeded", a.succeeded());
    n.put("rule_id", a.ruleId());
    n.put("issuer", a.issuer());
    n.put("subject", a.subject());
    n.put("cause", a.cause() == null ? null : a.cause().name().toLowerCase(java.util.Locale.ROOT));
    return n.put("detail", a.detail());
  }

  /** Never the credential: the create answer adds it once, by hand. */
  static ObjectNode internalClient(InternalClient c) {
    ObjectNode n = object(c.id(), InternalClient.TYPE);
    n.put("name", c.name());
    n.put("role", c.role().wireName());
    n.put("organization_id", c.organizationId());
    n.put("created_at", time(c.createdAt()));
    return n.put("revoked_at", time(c.revokedAt()));
  }

  static ObjectNode audit(AuditEvent e) {
    ObjectNode n = ApiJson.MAPPER.createObjectNode();
    n.put("id", e.id());
    n.put("type", "audit_event");
    n.put("organization_id", e.organizationId());
    n.put("occurred_at", time(e.occurredAt()));
    n.put("actor", e.actor());
    n.put("source_address", e.sourceAddress());
    n.put("action", e.action());
    n.put("target", e.target());
    n.put("reason", e.reason());
    return n.put("outcome", e.outcome());
  }

  /** A rule body: {@code {issuer_id, match: {subject_prefix, audience, claims}, …}}. */
  static RuleInput ruleInput(ObjectNode body) {
    JsonNode match = body.get("match");
    if (match != null && !match.isNull() && !match.isObject()) {
      throw ApiError.invalid("match: expected an object");
    }
    ObjectNode m = match instanceof ObjectNode o ? o : ApiJson.MAPPER.createObjectNode();
    m.fieldNames().forEachRemaining(f -> {
      if (!Set.of("subject_prefix", "audience", "claims").contains(f)) {
        throw ApiError.invalid("match." + f + ": unknown field (expected: subject_prefix, audience, claims)");
      }
    });
    return new RuleInput(HttpCall.optionalString(body, "issuer_id"), HttpCall.optionalString(m, "subject_prefix"),
        HttpCall.optionalString(m, "audience"), claims(m.get("claims")),
        HttpCall.optionalString(body, "service_account_id"), HttpCall.optionalString(body, "workspace_id"),
        HttpCall.optionalString(body, "scope"), optionalInt(body, "token_lifetime_seconds"));
  }

  static Integer optionalInt(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isInt()) {
      throw ApiError.invalid(field + ": expected an integer");
    }
    return v.intValue();
  }

  static List<String> stringList(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (!v.isArray()) {
      throw ApiError.invalid(field + ": expected an array of strings");
    }
    v.forEach(e -> {
      if (!e.isTextual()) {
        throw ApiError.invalid(field + ": expected an array of strings");
      }
      out.add(e.textValue());
    });
    return out;
  }

  private static Map<String, String> claims(JsonNode v) {
    if (v == null || v.isNull()) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw ApiError.invalid("match.claims: expected an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw ApiError.invalid("match.claims." + e.getKey() + ": expected a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    });
    return out;
  }

  private static ObjectNode object(String id, String type) {
    return ApiJson.MAPPER.createObjectNode().put("id", id).put("type", type);
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
