package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.controlplane.state.StateClock;
import io.mcptunnel.controlplane.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The edge feed: every tunnel (a reset) or the tunnels whose state changed after a version. The
 * clock is read first: versions commit strictly in order, so every change up to that version is
 * already visible to the reads that follow, and a change after it is left for the next call (a
 * record may be newer than the version says; the edge merges it again later, which is harmless).
 */
public final class TunnelStateFeed {
  private final Database database;

  public TunnelStateFeed(Database database) {
    this.database = database;
  }

  /** Every tunnel, archived ones included. */
  public TunnelState.Batch snapshot() {
    return changesSince(0);
  }

  /**
   * The changes in (after, version]; a reset with every tunnel when {@code after} is 0 or ahead of
   * the clock (the edge's state is from another database or was never loaded).
   */
  public TunnelState.Batch changesSince(long after) {
    if (after < 0) {
      throw new IllegalArgumentException("after: " + after + " (expected: >= 0)");
    }
    return database.inTransaction(c -> {
      long version = StateClock.read(c);
      boolean reset = after == 0 || after > version;
      // A reset takes every row, also those changed after `version` (sent again with the next delta).
      long from = reset ? Long.MIN_VALUE : after;
      long to = reset ? Long.MAX_VALUE : version;
      return new TunnelState.Batch(version, reset, load(c, from, to));
    });
  }

  private static List<TunnelState> load(Connection c, long from, long to) throws SQLException {
    String range = " t.state_version > ? AND t.state_version <= ?";
    Map<String, Builder> byId = new LinkedHashMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT t.id, t.domain, t.organization_id, t.workspace_id,"
        + " t.archived_at FROM tunnels t WHERE" + range + " ORDER BY t.state_version, t.seq")) {
      try (ResultSet rows = bind(s, from, to).executeQuery()) {
        while (rows.next()) {
          byId.put(rows.getString(1), new Builder(rows.getString(1), rows.getString(2), rows.getString(3),
              rows.getString(4), rows.getObject(5) != null));
        }
      }
    }
    if (byId.isEmpty()) {
      return List.of();
    }
    // The same range again: rows that changed since the first read are skipped or fresher, never missing.
    try (PreparedStatement s = c.prepareStatement("SELECT k.tunnel_id, k.id, k.secret_hash, k.retired_at, k.severed_at"
        + " FROM tunnel_tokens k JOIN tunnels t ON t.id = k.tunnel_id WHERE" + range + " ORDER BY k.version")) {
      try (ResultSet rows = bind(s, from, to).executeQuery()) {
        while (rows.next()) {
          Builder b = byId.get(rows.getString(1));
          if (b == null) {
            continue;
          }
          if (rows.getObject(4) == null) {
            b.current = new TunnelState.CurrentToken(rows.getString(2), rows.getString(3));
          } else {
            b.retired.add(rows.getString(2));
            if (rows.getObject(5) != null) {
              b.severed.add(rows.getString(2));
            }
          }
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement("SELECT r.tunnel_id, r.ca_certificate_pem"
        + " FROM tunnel_certificates r JOIN tunnels t ON t.id = r.tunnel_id WHERE" + range
        + " AND r.archived_at IS NULL ORDER BY r.seq")) {
      try (ResultSet rows = bind(s, from, to).executeQuery()) {
        while (rows.next()) {
          Builder b = byId.get(rows.getString(1));
          if (b != null) {
            b.cas.add(rows.getString(2));
          }
        }
      }
    }
    return byId.values().stream().map(Builder::build).toList();
  }

  private static PreparedStatement bind(PreparedStatement s, long from, long to) throws SQLException {
    s.setLong(1, from);
    s.setLong(2, to);
    return s;
  }

  private static final class Builder {
    final String id;
    final String domain;
    final String organizationId;
    final String workspaceId;
    final boolean archived;
    TunnelState.CurrentToken current;
    final List<String> retired = new ArrayList<>();
    final List<String> severed = new ArrayList<>();
    final List<String> cas = new ArrayList<>();

    Builder(String id, String domain, String organizationId, String workspaceId, boolean archived) {
      this.id = id;
      this.domain = domain;
      this.organizationId = organizationId;
      this.workspaceId = workspaceId;
      this.archived = archived;
    }

    TunnelState build() {
      // An archive retires the token and archives the certificates in the same transaction; this
      // only keeps the record's shape certain even for a row read mid-way.
      return new TunnelState(id, domain, organizationId, workspaceId, archived ? null : current, retired,
          severed, archived ? List.of() : cas, archived);
    }
  }
}
