package io.mcptunnel.controlplane.store;

import java.sql.SQLException;

/** A database failure; {@link #uniqueViolation()} tells a lost race for a unique value. */
public final class StoreException extends RuntimeException {
  private static final String UNIQUE_VIOLATION = "23505"; // SQLSTATE in PostgreSQL and H2

  public StoreException(SQLException cause) {
    super("database error: SQLSTATE " + cause.getSQLState(), cause);
  }

  public boolean uniqueViolation() {
    return getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
  }
}
