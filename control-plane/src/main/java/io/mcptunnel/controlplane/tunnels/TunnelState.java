package io.mcptunnel.controlplane.tunnels;

import java.util.List;

/**
 * What an edge holds about one tunnel (internal API, edge feed): its domain, owner, the current
 * token's id and secret hash (never the token), retired token ids (so it can say "rotated"), the
 * severed token ids (retired ones whose live connections must be closed: a rotation with
 * sever_existing), the active CA certificates, and whether it is archived. An archived tunnel has no
 * current token and no CA.
 */
public record TunnelState(
    String id,
    String domain,
    String organizationId,
    String workspaceId,
    CurrentToken currentToken,
    List<String> retiredTokenIds,
    List<String> severedTokenIds,
    List<String> caCertificatesPem,
    boolean archived) {

  /** The token that may open new connections: its id and the SHA-256 (lowercase hex) of its secret. */
  public record CurrentToken(String id, String secretSha256) {}

  public TunnelState {
    retiredTokenIds = List.copyOf(retiredTokenIds);
    severedTokenIds = List.copyOf(severedTokenIds);
    caCertificatesPem = List.copyOf(caCertificatesPem);
  }

  /** One answer of the feed: the version it is complete up to, and whether it replaces everything. */
  public record Batch(long version, boolean reset, List<TunnelState> tunnels) {
    public Batch {
      tunnels = List.copyOf(tunnels);
    }
  }
}
