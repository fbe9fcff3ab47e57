package io.mcptunnel.setup;

import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.setup.TunnelsApiClient.TunnelCertificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;

/** Registers a CA in one of the tunnel's two slots, failing with what to revoke when both are taken. */
final class CaRegistration {
  static final int SLOTS = 2;

  private CaRegistration() {}

  static TunnelCertificate register(TunnelsApiClient api, String tunnelId, X509Certificate ca) {
    List<TunnelCertificate> active = active(api, tunnelId);
    if (active.size() >= SLOTS) {
      throw slotsFull(tunnelId, active);
    }
    try {
      return api.registerCa(tunnelId, PemFiles.toPem(ca));
    } catch (ApiException e) {
      // Someone may have taken the last slot since we looked.
      if (e.status() == 409 && active(api, tunnelId).size() >= SLOTS) {
        throw slotsFull(tunnelId, active(api, tunnelId));
      }
      throw e;
    }
  }

  static List<TunnelCertificate> active(TunnelsApiClient api, String tunnelId) {
    return api.listCertificates(tunnelId).stream().filter(c -> !c.archived()).collect(Collectors.toList());
  }

  static String fingerprint(X509Certificate ca) {
    return Fingerprints.sha256Hex(ca);
  }

  static SetupException slotsFull(String tunnelId, List<TunnelCertificate> active) {
    String ids = active.stream().map(TunnelCertificate::id).collect(Collectors.joining(", "));
    return new SetupException("tunnel " + tunnelId + " has both CA certificate slots taken (" + ids
        + "); revoke one with POST /v1/tunnels/" + tunnelId
        + "/certificates/<id>/archive (or Revoke in the console), then run again");
  }
}
