package io.mcptunnel.controlplane.federation.jdbc;

import static io.mcptunnel.controlplane.store.Sql.getInstant;
import static io.mcptunnel.controlplane.store.Sql.setInstant;

import io.mcptunnel.controlplane.federation.AuthenticationHistory;
import io.mcptunnel.controlplane.federation.AuthenticationRecord;
import io.mcptunnel.controlplane.federation.FailureCause;
import io.mcptunnel.controlplane.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Token-exchange attempts in the database, read per organization, newest first. Anyone can post
 * exchanges naming any organization, so the table is bounded: attempts are kept only for
 * organizations that exist (no admin could read the others), and only the newest
 * {@code capacityPerOrganization} of each. Values arrive already bounded by the token exchange;
 * they are cut again to the column sizes so a long value can never make the record fail.
 */
public final class JdbcAuthenticationHistory implements AuthenticationHistory {
  public static final int DEFAULT_CAPACITY_PER_ORGANIZATION = 10_000;

  private final Database database;
  private final int capacityPerOrganization;

  public JdbcAuthenticationHistory(Database database) {
    this(database, DEFAULT_CAPACITY_PER_ORGANIZATION);
  }

  public JdbcAuthenticationHistory(Database database, int capacityPerOrganization) {
    if (capacityPerOrganization < 1) {
      throw new IllegalArgumentException(
          "capacityPerOrganization: " + capacityPerOrganization + " (expected: >= 1)");
    }
    this.database = database;
    this.capacityPerOrganization = capacityPerOrganization;
  }

  @Override
  public void record(AuthenticationRecord r) {
    database.inTransaction(c -> {
      int inserted;
      try (PreparedStatement s = c.prepareStatement("INSERT INTO authentication_history (organization_id,"
          + " occurred_at, rule_id, issuer, subject, cause, detail) SELECT ?, ?, ?, ?, ?, ?, ?"
          + " WHERE EXISTS (SELECT 1 FROM organizations WHERE id = ?)")) {
        s.setString(1, fit(r.organizationId(), 256));
        // Microseconds: what both databases keep, so a stored time reads back equal.
        setInstant(s, 2, r.time().truncatedTo(ChronoUnit.MICROS));
        s.setString(3, fit(r.ruleId(), 70));
        s.setString(4, fit(r.issuer(), 256));
        s.setString(5, fit(r.subject(), 256));
        s.setString(6, r.cause() == null ? null : r.cause().name());
        s.setString(7, fit(r.detail(), 2048));
        s.setString(8, r.organizationId());
        inserted = s.executeUpdate();
      }
      if (inserted > 0) {
        dropBeyondCapacity(c, r.organizationId());
      }
      return inserted;
    });
  }

  /** Deletes the organization's records older than its newest {@code capacityPerOrganization}. */
  private void dropBeyondCapacity(Connection c, String organizationId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM authentication_history WHERE organization_id = ?"
        + " AND id <= (SELECT id FROM authentication_history WHERE organization_id = ?"
        + " ORDER BY id DESC LIMIT 1 OFFSET ?)")) {
      s.setString(1, organizationId);
      s.setString(2, organizationId);
      s.setInt(3, capacityPerOrganization);
      s.executeUpdate();
    }
  }

  @Override
  public List<AuthenticationRecord> recent(String organizationId, int limit) {
    return database.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT * FROM authentication_history WHERE organization_id = ? ORDER BY id DESC LIMIT ?")) {
        s.setString(1, organizationId);
        s.setInt(2, limit);
        List<AuthenticationRecord> out = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            String cause = rows.getString("cause");
            out.add(new AuthenticationRecord(rows.getString("organization_id"), getInstant(rows, "occurred_at"),
                rows.getString("rule_id"), rows.getString("issuer"), rows.getString("subject"),
                cause == null ? null : FailureCause.valueOf(cause), rows.getString("detail")));
          }
        }
        return out;
      }
    });
  }

  private static String fit(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
