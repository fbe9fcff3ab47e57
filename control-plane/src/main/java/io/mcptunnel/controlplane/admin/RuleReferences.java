package io.mcptunnel.controlplane.admin;

import io.mcptunnel.controlplane.federation.FederationRule;
import io.mcptunnel.controlplane.federation.jdbc.JdbcFederationDirectory;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A rule may only point at its own organization's issuer, service account and workspace, and the
 * service account must be a member of that workspace: otherwise the exchange would mint tokens
 * the Tunnels API then refuses (SPEC §4.2), or worse, for another organization.
 */
final class RuleReferences {
  private RuleReferences() {}

  static void check(Connection c, String organizationId, FederationRule rule, JdbcFederationDirectory directory,
      TenancyStore tenancy) throws SQLException {
    if (directory.issuer(c, rule.issuerId()).filter(i -> i.organizationId().equals(organizationId)).isEmpty()) {
      throw AdminInput.invalid("issuer_id: " + rule.issuerId() + " (expected: an issuer of this organization)");
    }
    if (!tenancy.workspaceInOrganization(c, rule.workspaceId(), organizationId)) {
      throw AdminInput.invalid(
          "workspace_id: " + rule.workspaceId() + " (expected: a workspace of this organization)");
    }
    var account = tenancy.serviceAccount(c, organizationId, rule.serviceAccountId());
    if (account.isEmpty()) {
      throw AdminInput.invalid("service_account_id: " + rule.serviceAccountId()
          + " (expected: a service account of this organization)");
    }
    if (!account.get().workspaceIds().contains(rule.workspaceId())) {
      throw AdminInput.invalid("service_account_id: " + rule.serviceAccountId()
          + " (expected: a member of workspace " + rule.workspaceId() + ")");
    }
  }
}
