package io.mcptunnel.controlplane.admin;

import static io.mcptunnel.controlplane.store.Sql.getInstant;
import static io.mcptunnel.controlplane.store.Sql.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for organizations, workspaces and service accounts; every method joins the caller's transaction. */
final class TenancyStore {

  void insertOrganization(Connection c, Organization o) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO organizations (id, display_name, max_active_tunnels, created_at) VALUES (?, ?, ?, ?)")) {
      s.setString(1, o.id());
      s.setString(2, o.displayName());
      if (o.maxActiveTunnels() == null) {
        s.setNull(3, Types.INTEGER);
      } else {
        s.setInt(3, o.maxActiveTunnels());
      }
      setInstant(s, 4, o.createdAt());
      s.executeUpdate();
    }
  }

  List<Organization> organizations(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT * FROM organizations ORDER BY created_at, id");
        ResultSet rows = s.executeQuery()) {
      List<Organization> out = new ArrayList<>();
      while (rows.next()) {
        int max = rows.getInt("max_active_tunnels");
        out.add(new Organization(rows.getString("id"), rows.getString("display_name"),
            rows.wasNull() ? null : max, getInstant(rows, "created_at"), rows.getBoolean("sso_required")));
      }
      return out;
    }
  }

  /** Sets the organization's SSO requirement; false when there is no such organization. */
  boolean updateSsoRequired(Connection c, String organizationId, boolean ssoRequired) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE organizations SET sso_required = ? WHERE id = ?")) {
      s.setBoolean(1, ssoRequired);
      s.setString(2, organizationId);
      return s.executeUpdate() == 1;
    }
  }

  void insertWorkspace(Connection c, Workspace w) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO workspaces (id, organization_id, display_name, created_at) VALUES (?, ?, ?, ?)")) {
      s.setString(1, w.id());
      s.setString(2, w.organizationId());
      s.setString(3, w.displayName());
      setInstant(s, 4, w.createdAt());
      s.executeUpdate();
    }
  }

  List<Workspace> workspaces(Connection c, String organizationId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT * FROM workspaces WHERE organization_id = ? ORDER BY created_at, id")) {
      s.setString(1, organizationId);
      List<Workspace> out = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          out.add(new Workspace(rows.getString("id"), rows.getString("organization_id"),
              rows.getString("display_name"), getInstant(rows, "created_at")));
        }
      }
      return out;
    }
  }

  boolean workspaceInOrganization(Connection c, String workspaceId, String organizationId) throws SQLException {
    return workspaces(c, organizationId).stream().anyMatch(w -> w.id().equals(workspaceId));
  }

  void insertServiceAccount(Connection c, String id, String organizationId, String displayName, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO service_accounts (id, organization_id,"
        + " display_name, created_at) VALUES (?, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, organizationId);
      s.setString(3, displayName);
      setInstant(s, 4, now);
      s.executeUpdate();
    }
  }

  void insertMembership(Connection c, String serviceAccountId, String workspaceId, Instant now)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO service_account_workspaces"
        + " (service_account_id, workspace_id, created_at) VALUES (?, ?, ?)")) {
      s.setString(1, serviceAccountId);
      s.setString(2, workspaceId);
      setInstant(s, 3, now);
      s.executeUpdate();
    }
  }

  /** The organization's service accounts, oldest first, or just {@code onlyId} when given. */
  List<ServiceAccount> serviceAccounts(Connection c, String organizationId, String onlyId) throws SQLException {
    String sql = "SELECT * FROM service_accounts WHERE organization_id = ?"
        + (onlyId == null ? "" : " AND id = ?") + " ORDER BY seq";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, organizationId);
      if (onlyId != null) {
        s.setString(2, onlyId);
      }
      List<ServiceAccount> out = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          String id = rows.getString("id");
          out.add(new ServiceAccount(id, rows.getString("organization_id"), rows.getString("display_name"),
              memberships(c, id), getInstant(rows, "created_at")));
        }
      }
      return out;
    }
  }

  Optional<ServiceAccount> serviceAccount(Connection c, String organizationId, String id) throws SQLException {
    return serviceAccounts(c, organizationId, id).stream().findFirst();
  }

  private List<String> memberships(Connection c, String serviceAccountId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT workspace_id FROM service_account_workspaces"
        + " WHERE service_account_id = ? ORDER BY workspace_id")) {
      s.setString(1, serviceAccountId);
      List<String> out = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          out.add(rows.getString(1));
        }
      }
      return out;
    }
  }
}
