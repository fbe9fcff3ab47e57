package io.mcptunnel.controlplane.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The control plane's database: an embedded H2 file under the data directory by default (nothing to
 * install), or PostgreSQL by JDBC URL for production. Opening migrates the schema with the versioned
 * scripts in {@code db/migration}; every change goes through {@link #inTransaction}.
 */
public final class Database implements AutoCloseable {
  static final String FILE_NAME = "controlplane";

  private final HikariDataSource pool;

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /** The embedded database in {@code dataDirectory} (created if missing). */
  public static Database openDataDirectory(Path dataDirectory) {
    return open(embeddedUrl(dataDirectory));
  }

  static String embeddedUrl(Path dataDirectory) {
    // PostgreSQL mode so one migration script serves both; a lock timeout long enough that
    // writers queue on a row lock (FOR UPDATE) instead of failing under contention.
    return "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve(FILE_NAME)
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=30000";
  }

  /** A database by JDBC URL ({@code jdbc:postgresql://…} or {@code jdbc:h2:…}). */
  public static Database open(String jdbcUrl) {
    return open(jdbcUrl, null);
  }

  /** As {@link #open(String)}, with a password kept out of the URL (Hikari never logs it). */
  public static Database open(String jdbcUrl, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(10);
    config.setAutoCommit(false);
    config.setPoolName("control-plane");
    HikariDataSource pool = new HikariDataSource(config);
    try {
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return new Database(pool);
  }

  /** Work that runs in one transaction; its SQL errors roll the transaction back. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs {@code work} in one transaction, committed when it returns normally. */
  public <T> T inTransaction(Work<T> work) {
    try (Connection connection = pool.getConnection()) {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException(e);
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
