package io.mcptunnel.controlplane.tunnels;

import java.time.Instant;

/**
 * A registered CA certificate (SPEC §4.1 object {@code tunnel_certificate}). The PEM is public
 * material: callers verify the proxy against it.
 */
public record TunnelCertificate(
    String id,
    String tunnelId,
    String caCertificatePem,
    String fingerprint,
    Instant createdAt,
    Instant expiresAt,
    Instant archivedAt) {

  public static final String TYPE = "tunnel_certificate";

  public boolean archived() {
    return archivedAt != null;
  }
}
