package io.mcptunnel.controlplane.admin;

import java.time.Instant;
import java.util.List;

/** A workload identity federation rules map to; acts only in the workspaces it is a member of. */
public record ServiceAccount(String id, String organizationId, String displayName, List<String> workspaceIds,
    Instant createdAt) {
  public ServiceAccount {
    workspaceIds = List.copyOf(workspaceIds);
  }
}
