package io.mcptunnel.controlplane.federation;

import java.time.Instant;

/** What a verified control-plane access token says: who (service account), where, what, until when. */
public record AccessTokenClaims(
    String serviceAccountId, String organizationId, String workspaceId, String scope,
    Instant issuedAt, Instant expiresAt, String tokenId) {

  /** Whether the space-separated scope list contains {@code wanted}. */
  public boolean hasScope(String wanted) {
    for (String s : scope.split(" ")) {
      if (s.equals(wanted)) {
        return true;
      }
    }
    return false;
  }
}
