package io.mcptunnel.controlplane.internal;

import static io.mcptunnel.controlplane.store.Sql.getInstant;
import static io.mcptunnel.controlplane.store.Sql.setInstant;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for {@code internal_clients}; every method joins the caller's transaction. */
final class InternalClientStore {
  private static final String COLUMNS = "id, name, role, organization_id, secret_hash, created_at, revoked_at";

  /** A stored client with the hash its credential must match. */
  record Stored(InternalClient client, String secretSha256) {}

  boolean organizationExists(Connection c, String organizationId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM organizations WHERE id = ?")) {
      s.setString(1, organizationId);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next();
      }
    }
  }

  void insert(Connection c, InternalClient client, String secretSha256) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO internal_clients (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, client.id());
      s.setString(2, client.name());
      s.setString(3, client.role().wireName());
      s.setString(4, client.organizationId());
      s.setString(5, secretSha256);
      setInstant(s, 6, client.createdAt());
      setInstant(s, 7, client.revokedAt());
      s.executeUpdate();
    }
  }

  List<InternalClient> list(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM internal_clients ORDER BY seq");
        ResultSet rows = s.executeQuery()) {
      List<InternalClient> out = new ArrayList<>();
      while (rows.next()) {
        out.add(stored(rows).client());
      }
      return out;
    }
  }

  Optional<Stored> find(Connection c, String id, boolean lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM internal_clients WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
      s.setString(1, id);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? Optional.of(stored(rows)) : Optional.empty();
      }
    }
  }

  void revoke(Connection c, String id, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "UPDATE internal_clients SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      setInstant(s, 1, now);
      s.setString(2, id);
      s.executeUpdate();
    }
  }

  private static Stored stored(ResultSet rows) throws SQLException {
    return new Stored(new InternalClient(rows.getString("id"), rows.getString("name"),
        InternalRole.parse(rows.getString("role")).orElseThrow(), rows.getString("organization_id"),
        getInstant(rows, "created_at"), getInstant(rows, "revoked_at")), rows.getString("secret_hash"));
  }
}
