package io.mcptunnel.controlplane.tunnels;

import java.time.Instant;

/** A tunnel (SPEC §4.1 object {@code tunnel}); {@code archivedAt} is null while active. */
public record Tunnel(
    String id,
    String organizationId,
    String workspaceId,
    String displayName,
    String domain,
    Instant createdAt,
    Instant archivedAt) {

  public static final String TYPE = "tunnel";

  public boolean archived() {
    return archivedAt != null;
  }
}
