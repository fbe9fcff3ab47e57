package io.mcptunnel.controlplane.tenancy;

import static io.mcptunnel.controlplane.store.Sql.setInstant;

import io.mcptunnel.controlplane.store.Database;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Clock;

/**
 * Organizations and their workspaces, as far as the Tunnels API needs them: an id, the
 * organization's own active-tunnel limit (null = the server default), and workspace membership.
 */
public final class Organizations {
  private final Database database;
  private final Clock clock;

  public Organizations(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  public void createOrganization(String id, Integer maxActiveTunnels) {
    database.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO organizations (id, max_active_tunnels, created_at) VALUES (?, ?, ?)")) {
        s.setString(1, id);
        if (maxActiveTunnels == null) {
          s.setNull(2, Types.INTEGER);
        } else {
          s.setInt(2, maxActiveTunnels);
        }
        setInstant(s, 3, clock.instant());
        return s.executeUpdate();
      }
    });
  }

  public void createWorkspace(String id, String organizationId) {
    database.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO workspaces (id, organization_id, created_at) VALUES (?, ?, ?)")) {
        s.setString(1, id);
        s.setString(2, organizationId);
        setInstant(s, 3, clock.instant());
        return s.executeUpdate();
      }
    });
  }
}
