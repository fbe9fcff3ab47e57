package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.tunnel.TunnelToken;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a presented tunnel token may open a new connector connection, and if not why (the
 * connector logs {@code token rejected: rotated} or {@code tunnel archived}, SPEC §3). Existing
 * connections are not judged here: rotation keeps them up, archive severs them at the edge.
 */
public enum TokenVerdict {
  VALID,
  ROTATED,
  ARCHIVED,
  UNKNOWN;

  /** A stored token row: its tunnel, the SHA-256 of its secret, and when it was retired. */
  record StoredToken(String tunnelId, String secretHash, Instant retiredAt) {}

  /**
   * The decision. The secret must match before anything else is said, so that knowing a tunnel
   * or token id alone (both appear in logs) reveals nothing about the tunnel's state.
   */
  static TokenVerdict judge(TunnelToken presented, Optional<StoredToken> stored, boolean tunnelArchived) {
    if (stored.isEmpty()
        || !stored.get().tunnelId().equals(presented.tunnelId())
        || !presented.matches(stored.get().secretHash())) {
      return UNKNOWN;
    }
    if (tunnelArchived) {
      return ARCHIVED;
    }
    return stored.get().retiredAt() == null ? VALID : ROTATED;
  }
}
