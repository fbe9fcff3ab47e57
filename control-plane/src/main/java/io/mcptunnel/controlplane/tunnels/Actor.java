package io.mcptunnel.controlplane.tunnels;

import java.util.Objects;

/**
 * Who asks, as established by authentication: the organization, the workspace the credential is
 * bound to ({@code null} for an organization admin, who sees every workspace), a principal name
 * for the audit log, and the request's source address.
 */
public record Actor(String organizationId, String workspaceId, String principal, String sourceAddress) {
  public Actor {
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(principal, "principal");
  }
}
