package io.mcptunnel.controlplane.internal;

import java.time.Instant;

/** A registered internal client; {@code organizationId} is set for callers only. */
public record InternalClient(String id, String name, InternalRole role, String organizationId, Instant createdAt,
    Instant revokedAt) {

  public static final String TYPE = "internal_client";

  public boolean revoked() {
    return revokedAt != null;
  }
}
