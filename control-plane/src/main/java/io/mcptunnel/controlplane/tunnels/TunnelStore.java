package io.mcptunnel.controlplane.tunnels;

import static io.mcptunnel.controlplane.store.Sql.getInstant;
import static io.mcptunnel.controlplane.store.Sql.setInstant;

import io.mcptunnel.controlplane.state.StateClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * SQL for tunnels, their tokens and certificates, on a connection the service's transaction owns.
 * One JDBC implementation serves both databases, so there is no interface to swap: the same SQL
 * runs on H2 (PostgreSQL mode) and on PostgreSQL.
 */
final class TunnelStore {
  private static final String TUNNEL_COLUMNS =
      "seq, id, organization_id, workspace_id, display_name, domain, created_at, archived_at";
  private static final String CERTIFICATE_COLUMNS =
      "id, tunnel_id, ca_certificate_pem, fingerprint, created_at, expires_at, archived_at";

  record Sequenced(long seq, Tunnel tunnel) {}

  record CurrentToken(String id, int version) {}

  /** The organization's own limit (empty when it uses the default); the row stays locked. */
  Optional<OptionalInt> lockOrganization(Connection c, String organizationId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT max_active_tunnels FROM organizations WHERE id = ? FOR UPDATE")) {
      s.setString(1, organizationId);
      try (ResultSet rows = s.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        int max = rows.getInt(1);
        return Optional.of(rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(max));
      }
    }
  }

  boolean workspaceInOrganization(Connection c, String workspaceId, String organizationId)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT 1 FROM workspaces WHERE id = ? AND organization_id = ?")) {
      s.setString(1, workspaceId);
      s.setString(2, organizationId);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next();
      }
    }
  }

  int countActiveTunnels(Connection c, String organizationId) throws SQLException {
    return count(c, "SELECT COUNT(*) FROM tunnels WHERE organization_id = ? AND archived_at IS NULL",
        organizationId);
  }

  /** Whether the domain was ever allocated, to a live or an archived tunnel. */
  boolean domainEverUsed(Connection c, String domain) throws SQLException {
    return count(c, "SELECT COUNT(*) FROM tunnels WHERE domain = ?", domain) > 0
        || count(c, "SELECT COUNT(*) FROM retired_domains WHERE domain = ?", domain) > 0;
  }

  void insertTunnel(Connection c, Tunnel t) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO tunnels (id, organization_id, workspace_id, display_name, domain, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)")) {
      s.setString(1, t.id());
      s.setString(2, t.organizationId());
      s.setString(3, t.workspaceId());
      s.setString(4, t.displayName());
      s.setString(5, t.domain());
      setInstant(s, 6, t.createdAt());
      s.executeUpdate();
    }
  }

  Optional<Tunnel> findTunnel(Connection c, String id, boolean lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT " + TUNNEL_COLUMNS + " FROM tunnels WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
      s.setString(1, id);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? Optional.of(tunnel(rows).tunnel()) : Optional.empty();
      }
    }
  }

  /** Up to {@code limit} tunnels created before {@code beforeSeq}, newest first. */
  List<Sequenced> listTunnels(Connection c, String organizationId, String workspaceId,
      boolean includeArchived, long beforeSeq, int limit) throws SQLException {
    String sql = "SELECT " + TUNNEL_COLUMNS + " FROM tunnels WHERE organization_id = ? AND seq < ?"
        + (workspaceId == null ? "" : " AND workspace_id = ?")
        + (includeArchived ? "" : " AND archived_at IS NULL")
        + " ORDER BY seq DESC LIMIT ?";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      int i = 1;
      s.setString(i++, organizationId);
      s.setLong(i++, beforeSeq);
      if (workspaceId != null) {
        s.setString(i++, workspaceId);
      }
      s.setInt(i, limit);
      List<Sequenced> out = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          out.add(tunnel(rows));
        }
      }
      return out;
    }
  }

  /** Archives the tunnel with everything it holds: certificates, its token, its domain. */
  void archiveTunnel(Connection c, Tunnel t, Instant now) throws SQLException {
    update(c, "UPDATE tunnels SET archived_at = ? WHERE id = ?", now, t.id());
    update(c, "UPDATE tunnel_certificates SET archived_at = ? WHERE tunnel_id = ? AND archived_at IS NULL",
        now, t.id());
    update(c, "UPDATE tunnel_tokens SET retired_at = ? WHERE tunnel_id = ? AND retired_at IS NULL",
        now, t.id());
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO retired_domains (domain, tunnel_id, retired_at) VALUES (?, ?, ?)")) {
      s.setString(1, t.domain());
      s.setString(2, t.id());
      setInstant(s, 3, now);
      s.executeUpdate();
    }
  }

  void insertToken(Connection c, String tunnelId, String tokenId, int version, String secretHash,
      Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO tunnel_tokens (id, tunnel_id, version, secret_hash, created_at)"
            + " VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, tokenId);
      s.setString(2, tunnelId);
      s.setInt(3, version);
      s.setString(4, secretHash);
      setInstant(s, 5, now);
      s.executeUpdate();
    }
  }

  Optional<CurrentToken> currentToken(Connection c, String tunnelId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, version FROM tunnel_tokens WHERE tunnel_id = ? AND retired_at IS NULL")) {
      s.setString(1, tunnelId);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next()
            ? Optional.of(new CurrentToken(rows.getString(1), rows.getInt(2)))
            : Optional.empty();
      }
    }
  }

  Optional<TokenVerdict.StoredToken> findToken(Connection c, String tokenId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT tunnel_id, secret_hash, retired_at FROM tunnel_tokens WHERE id = ?")) {
      s.setString(1, tokenId);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next()
            ? Optional.of(new TokenVerdict.StoredToken(
                rows.getString("tunnel_id"), rows.getString("secret_hash"),
                getInstant(rows, "retired_at")))
            : Optional.empty();
      }
    }
  }

  void retireToken(Connection c, String tokenId, Instant now) throws SQLException {
    update(c, "UPDATE tunnel_tokens SET retired_at = ? WHERE id = ?", now, tokenId);
  }

  /** Marks every retired, not yet severed token of the tunnel severed (a severing rotation). */
  void severRetiredTokens(Connection c, String tunnelId, Instant now) throws SQLException {
    update(c, "UPDATE tunnel_tokens SET severed_at = ? WHERE tunnel_id = ? AND retired_at IS NOT NULL"
        + " AND severed_at IS NULL", now, tunnelId);
  }

  int countActiveCertificates(Connection c, String tunnelId) throws SQLException {
    return count(c,
        "SELECT COUNT(*) FROM tunnel_certificates WHERE tunnel_id = ? AND archived_at IS NULL",
        tunnelId);
  }

  void insertCertificate(Connection c, TunnelCertificate cert) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO tunnel_certificates (" + CERTIFICATE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, cert.id());
      s.setString(2, cert.tunnelId());
      s.setString(3, cert.caCertificatePem());
      s.setString(4, cert.fingerprint());
      setInstant(s, 5, cert.createdAt());
      setInstant(s, 6, cert.expiresAt());
      setInstant(s, 7, cert.archivedAt());
      s.executeUpdate();
    }
  }

  /** Every certificate of the tunnel, archived ones too, newest first. */
  List<TunnelCertificate> listCertificates(Connection c, String tunnelId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + CERTIFICATE_COLUMNS
        + " FROM tunnel_certificates WHERE tunnel_id = ? ORDER BY seq DESC")) {
      s.setString(1, tunnelId);
      List<TunnelCertificate> out = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          out.add(certificate(rows));
        }
      }
      return out;
    }
  }

  Optional<TunnelCertificate> findCertificate(Connection c, String tunnelId, String id)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + CERTIFICATE_COLUMNS
        + " FROM tunnel_certificates WHERE tunnel_id = ? AND id = ?")) {
      s.setString(1, tunnelId);
      s.setString(2, id);
      try (ResultSet rows = s.executeQuery()) {
        return rows.next() ? Optional.of(certificate(rows)) : Optional.empty();
      }
    }
  }

  /**
   * Advances the state clock and stamps the tunnel with the new version. Called last in a change's
   * transaction: the clock's row lock must be the last lock taken (see {@link StateClock}).
   */
  void markStateChanged(Connection c, String tunnelId) throws SQLException {
    long version = StateClock.advance(c);
    try (PreparedStatement s = c.prepareStatement("UPDATE tunnels SET state_version = ? WHERE id = ?")) {
      s.setLong(1, version);
      s.setString(2, tunnelId);
      s.executeUpdate();
    }
  }

  void archiveCertificate(Connection c, String id, Instant now) throws SQLException {
    update(c, "UPDATE tunnel_certificates SET archived_at = ? WHERE id = ? AND archived_at IS NULL",
        now, id);
  }

  private static Sequenced tunnel(ResultSet rows) throws SQLException {
    return new Sequenced(rows.getLong("seq"), new Tunnel(
        rows.getString("id"),
        rows.getString("organization_id"),
        rows.getString("workspace_id"),
        rows.getString("display_name"),
        rows.getString("domain"),
        getInstant(rows, "created_at"),
        getInstant(rows, "archived_at")));
  }

  private static TunnelCertificate certificate(ResultSet rows) throws SQLException {
    return new TunnelCertificate(
        rows.getString("id"),
        rows.getString("tunnel_id"),
        rows.getString("ca_certificate_pem"),
        rows.getString("fingerprint"),
        getInstant(rows, "created_at"),
        getInstant(rows, "expires_at"),
        getInstant(rows, "archived_at"));
  }

  private static int count(Connection c, String sql, String parameter) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rows = s.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static void update(Connection c, String sql, Instant now, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      setInstant(s, 1, now);
      s.setString(2, id);
      s.executeUpdate();
    }
  }
}
