package io.mcptunnel.controlplane.audit;

import static io.mcptunnel.controlplane.store.Sql.getInstant;
import static io.mcptunnel.controlplane.store.Sql.setInstant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.controlplane.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log (SPEC §4.3): appended in the same transaction as the change it records, so a
 * change is never stored without its entry; read oldest first, and exported as JSON lines.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EXPORT_BATCH = 500;

  private final Database database;
  private final int exportBatch;

  public AuditLog(Database database) {
    this(database, EXPORT_BATCH);
  }

  AuditLog(Database database, int exportBatch) {
    this.database = database;
    this.exportBatch = exportBatch;
  }

  /** Appends inside the caller's transaction. */
  public void append(Connection c, AuditEvent event) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO audit_events (organization_id, occurred_at, actor, source_address, action,"
            + " target, reason, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, event.organizationId());
      setInstant(s, 2, event.occurredAt());
      s.setString(3, event.actor());
      s.setString(4, event.sourceAddress());
      s.setString(5, event.action());
      s.setString(6, event.target());
      s.setString(7, event.reason());
      s.setString(8, event.outcome());
      s.executeUpdate();
    }
  }

  /** Appends in a transaction of its own (a refused request has no change to join). */
  public void append(AuditEvent event) {
    database.inTransaction(c -> {
      append(c, event);
      return null;
    });
  }

  /** The organization's events with an id above {@code afterId}, oldest first. */
  public List<AuditEvent> query(String organizationId, long afterId, int limit) {
    return database.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT * FROM audit_events WHERE organization_id = ? AND id > ? ORDER BY id LIMIT ?")) {
        s.setString(1, organizationId);
        s.setLong(2, afterId);
        s.setInt(3, limit);
        List<AuditEvent> out = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            out.add(event(rows));
          }
        }
        return out;
      }
    });
  }

  /** Writes every event of the organization as one JSON object per line, oldest first. */
  public void exportJsonLines(String organizationId, Writer out) {
    long after = 0;
    List<AuditEvent> batch;
    do {
      batch = query(organizationId, after, exportBatch);
      for (AuditEvent event : batch) {
        writeLine(event, out);
        after = event.id();
      }
    } while (batch.size() == exportBatch);
  }

  static String toJson(AuditEvent event) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", event.id());
    node.put("organization_id", event.organizationId());
    node.put("occurred_at", event.occurredAt().toString());
    node.put("actor", event.actor());
    node.put("source_address", event.sourceAddress());
    node.put("action", event.action());
    node.put("target", event.target());
    node.put("reason", event.reason());
    node.put("outcome", event.outcome());
    return node.toString();
  }

  private static void writeLine(AuditEvent event, Writer out) {
    try {
      out.write(toJson(event));
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AuditEvent event(ResultSet rows) throws SQLException {
    return new AuditEvent(
        rows.getLong("id"),
        rows.getString("organization_id"),
        getInstant(rows, "occurred_at"),
        rows.getString("actor"),
        rows.getString("source_address"),
        rows.getString("action"),
        rows.getString("target"),
        rows.getString("reason"),
        rows.getString("outcome"));
  }
}
