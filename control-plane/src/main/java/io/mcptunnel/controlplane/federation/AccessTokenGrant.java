package io.mcptunnel.controlplane.federation;

import java.time.Duration;

/** What a successful exchange entitles the workload to: the access token to mint. */
public record AccessTokenGrant(
    String serviceAccountId, String organizationId, String workspaceId, String scope, Duration lifetime) {

  public long expiresInSeconds() {
    return lifetime.toSeconds();
  }
}
