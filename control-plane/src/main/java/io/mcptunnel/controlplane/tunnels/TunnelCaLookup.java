package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.controlplane.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * For callers: the active CA certificates of the tunnel a host name belongs to, within one
 * organization. A host is the tunnel's domain or any name under it ({@code <route>.<domain>}), so
 * the candidates are the host and each of its suffixes at a label boundary.
 */
public final class TunnelCaLookup {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?|[a-z0-9]");
  private static final int MAX_HOST = 253;

  private final Database database;

  /** The tunnel's id, domain and active CA PEMs (possibly none). */
  public record TunnelCas(String tunnelId, String domain, List<String> caCertificatesPem) {
    public TunnelCas {
      caCertificatesPem = List.copyOf(caCertificatesPem);
    }
  }

  public TunnelCaLookup(Database database) {
    this.database = database;
  }

  /** Lowercase, one trailing dot dropped; empty when not a DNS host name. */
  public static Optional<String> normalizeHost(String host) {
    if (host == null) {
      return Optional.empty();
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || h.length() > MAX_HOST) {
      return Optional.empty();
    }
    for (String label : h.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return Optional.empty();
      }
    }
    return Optional.of(h);
  }

  /** The organization's non-archived tunnel whose domain is {@code host} or a suffix of it. */
  public Optional<TunnelCas> forHost(String organizationId, String normalizedHost) {
    List<String> candidates = new ArrayList<>();
    for (String h = normalizedHost; ; h = h.substring(h.indexOf('.') + 1)) {
      candidates.add(h);
      if (h.indexOf('.') < 0) {
        break;
      }
    }
    String marks = String.join(", ", candidates.stream().map(x -> "?").toList());
    return database.inTransaction(c -> {
      String id = null;
      String domain = null;
      try (PreparedStatement s = c.prepareStatement("SELECT id, domain FROM tunnels WHERE organization_id = ?"
          + " AND archived_at IS NULL AND domain IN (" + marks + ")")) {
        s.setString(1, organizationId);
        for (int i = 0; i < candidates.size(); i++) {
          s.setString(i + 2, candidates.get(i));
        }
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            // Domains never nest in practice; if they did, the most specific one wins.
            if (domain == null || rows.getString(2).length() > domain.length()) {
              id = rows.getString(1);
              domain = rows.getString(2);
            }
          }
        }
      }
      if (id == null) {
        return Optional.<TunnelCas>empty();
      }
      List<String> pems = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT ca_certificate_pem FROM tunnel_certificates"
          + " WHERE tunnel_id = ? AND archived_at IS NULL ORDER BY seq")) {
        s.setString(1, id);
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            pems.add(rows.getString(1));
          }
        }
      }
      return Optional.of(new TunnelCas(id, domain, pems));
    });
  }
}
