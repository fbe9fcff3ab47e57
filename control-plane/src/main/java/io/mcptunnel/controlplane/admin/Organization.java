package io.mcptunnel.controlplane.admin;

import java.time.Instant;

/**
 * An organization; {@code maxActiveTunnels} null means the server's default limit. {@code ssoRequired}:
 * admins must sign in through SSO (SPEC §4.3; enforced by the console, which does not exist yet).
 */
public record Organization(String id, String displayName, Integer maxActiveTunnels, Instant createdAt,
    boolean ssoRequired) {

  /** A new organization: SSO not required. */
  public Organization(String id, String displayName, Integer maxActiveTunnels, Instant createdAt) {
    this(id, displayName, maxActiveTunnels, createdAt, false);
  }
}
