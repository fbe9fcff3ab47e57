package io.mcptunnel.controlplane.federation.jdbc;

import static io.mcptunnel.controlplane.store.Sql.setInstant;

import io.mcptunnel.controlplane.federation.FederationDirectory;
import io.mcptunnel.controlplane.federation.FederationIssuer;
import io.mcptunnel.controlplane.federation.FederationRule;
import io.mcptunnel.controlplane.federation.JwksSource;
import io.mcptunnel.controlplane.store.Database;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Federation issuers and rules in the database. Reads run in their own transaction (the token
 * exchange asks per request, so a change made on any node applies to the next exchange); writes
 * join the caller's transaction so the admin service stores the change with its audit entry.
 */
public final class JdbcFederationDirectory implements FederationDirectory {
  static final String DISCOVERY = "discovery";
  static final String EXPLICIT_URL = "explicit_url";
  static final String INLINE = "inline";

  private final Database database;

  public JdbcFederationDirectory(Database database) {
    this.database = database;
  }

  @Override
  public Optional<FederationRule> rule(String ruleId) {
    return database.inTransaction(c -> one(c, "SELECT * FROM federation_rules WHERE id = ?", ruleId,
        JdbcFederationDirectory::rule));
  }

  @Override
  public Optional<FederationIssuer> issuer(String issuerId) {
    return database.inTransaction(c -> one(c, "SELECT * FROM federation_issuers WHERE id = ?", issuerId,
        JdbcFederationDirectory::issuer));
  }

  /** The organization's issuers, oldest first. */
  public List<FederationIssuer> issuers(Connection c, String organizationId) throws SQLException {
    return all(c, "SELECT * FROM federation_issuers WHERE organization_id = ? ORDER BY seq",
        organizationId, JdbcFederationDirectory::issuer);
  }

  /** The organization's rules, oldest first. */
  public List<FederationRule> rules(Connection c, String organizationId) throws SQLException {
    return all(c, "SELECT * FROM federation_rules WHERE organization_id = ? ORDER BY seq",
        organizationId, JdbcFederationDirectory::rule);
  }

  public Optional<FederationIssuer> issuer(Connection c, String issuerId) throws SQLException {
    return one(c, "SELECT * FROM federation_issuers WHERE id = ?", issuerId, JdbcFederationDirectory::issuer);
  }

  public Optional<FederationRule> rule(Connection c, String ruleId) throws SQLException {
    return one(c, "SELECT * FROM federation_rules WHERE id = ?", ruleId, JdbcFederationDirectory::rule);
  }

  public void insert(Connection c, FederationIssuer issuer, Instant createdAt) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO federation_issuers (id, organization_id,"
        + " issuer_url, jwks_kind, jwks_url, jwks_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, issuer.id());
      s.setString(2, issuer.organizationId());
      s.setString(3, issuer.issuer());
      JwksSource jwks = issuer.jwks();
      s.setString(4, kind(jwks));
      s.setString(5, jwks instanceof JwksSource.ExplicitUrl u ? u.url().toString() : null);
      s.setString(6, jwks instanceof JwksSource.Inline i ? i.jwksJson() : null);
      setInstant(s, 7, createdAt);
      s.executeUpdate();
    }
  }

  public void insert(Connection c, FederationRule rule, Instant createdAt) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO federation_rules (id, organization_id,"
        + " issuer_id, match_json, service_account_id, workspace_id, scope, token_lifetime_seconds,"
        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, rule.id());
      s.setString(2, rule.organizationId());
      s.setString(3, rule.issuerId());
      s.setString(4, MatchJson.write(rule.match()));
      s.setString(5, rule.serviceAccountId());
      s.setString(6, rule.workspaceId());
      s.setString(7, rule.scope());
      s.setInt(8, rule.tokenLifetimeSeconds());
      setInstant(s, 9, createdAt);
      s.executeUpdate();
    }
  }

  /** The {@code jwks_kind} column value: the SPEC's name of the source. */
  static String kind(JwksSource jwks) {
    if (jwks instanceof JwksSource.ExplicitUrl) {
      return EXPLICIT_URL;
    }
    return jwks instanceof JwksSource.Inline ? INLINE : DISCOVERY;
  }

  private static JwksSource jwks(ResultSet rows) throws SQLException {
    String kind = rows.getString("jwks_kind");
    return switch (kind) {
      case DISCOVERY -> JwksSource.discovery();
      case EXPLICIT_URL -> new JwksSource.ExplicitUrl(URI.create(rows.getString("jwks_url")));
      case INLINE -> new JwksSource.Inline(rows.getString("jwks_json"));
      default -> throw new IllegalStateException("stored jwks_kind unknown: " + kind);
    };
  }

  private static FederationIssuer issuer(ResultSet rows) throws SQLException {
    return new FederationIssuer(rows.getString("id"), rows.getString("organization_id"),
        URI.create(rows.getString("issuer_url")), jwks(rows));
  }

  private static FederationRule rule(ResultSet rows) throws SQLException {
    return new FederationRule(rows.getString("id"), rows.getString("organization_id"),
        rows.getString("issuer_id"), MatchJson.read(rows.getString("match_json")),
        rows.getString("service_account_id"), rows.getString("workspace_id"), rows.getString("scope"),
        rows.getInt("token_lifetime_seconds"));
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private static <T> Optional<T> one(Connection c, String sql, String key, Row<T> row) throws SQLException {
    List<T> found = all(c, sql, key, row);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static <T> List<T> all(Connection c, String sql, String key, Row<T> row) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, key);
      List<T> out = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          out.add(row.read(rows));
        }
      }
      return out;
    }
  }
}
