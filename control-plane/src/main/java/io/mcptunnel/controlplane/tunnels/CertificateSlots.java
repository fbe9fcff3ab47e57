package io.mcptunnel.controlplane.tunnels;

/**
 * The certificate-slot rule of SPEC §4.1: at most two non-archived CA certificates per tunnel (one
 * in use, one for a zero-downtime rotation). Checked while the tunnel row is locked, so two uploads
 * racing for the last slot cannot both pass.
 */
final class CertificateSlots {
  static final int MAX_ACTIVE = 2;

  private CertificateSlots() {}

  static void requireFreeSlot(int activeCertificates) {
    if (activeCertificates >= MAX_ACTIVE) {
      throw TunnelApiException.conflict(
          "certificate slots full: at most " + MAX_ACTIVE
              + " non-archived certificates per tunnel; archive one first");
    }
  }
}
