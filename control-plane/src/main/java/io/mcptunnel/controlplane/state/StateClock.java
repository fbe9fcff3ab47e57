package io.mcptunnel.controlplane.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The global tunnel state version (table {@code state_clock}, one row). {@link #advance} locks the
 * row until the caller's transaction ends, which serializes the changes that advance it: a change
 * with version v commits before one with v + 1 can, so readers see versions strictly in order.
 * Callers take this lock last in their transaction, after any tunnel or organization row, so two
 * changes never wait on each other in opposite orders.
 */
public final class StateClock {
  private StateClock() {}

  /** Advances the clock inside the caller's transaction and returns the new version. */
  public static long advance(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE state_clock SET version = version + 1 WHERE id = 1")) {
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("state_clock has no row 1 (migration V3 not applied?)");
      }
    }
    return read(c);
  }

  /** The committed version as this statement sees it (no lock). */
  public static long read(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT version FROM state_clock WHERE id = 1");
        ResultSet rows = s.executeQuery()) {
      if (!rows.next()) {
        throw new IllegalStateException("state_clock has no row 1 (migration V3 not applied?)");
      }
      return rows.getLong(1);
    }
  }
}
