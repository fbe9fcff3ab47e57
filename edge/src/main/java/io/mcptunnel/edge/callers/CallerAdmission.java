package io.mcptunnel.edge.callers;

import io.mcptunnel.edge.registry.TunnelRegistry;
import io.mcptunnel.edge.registry.TunnelState;
import io.mcptunnel.egress.Ipv4;
import io.mcptunnel.egress.Ipv4Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one decision whether a caller's stream may go to a host. Pure; fixed rule order: who the
 * caller is (its verified client certificate, then its caller key: each one presented must be known,
 * and both must name the same caller), the caller's source address, the tunnel behind the host
 * (unknown, archived and other organizations' tunnels all look the same to the caller: not found),
 * then at least one active CA (without one, the caller could not verify the proxy, so nothing is
 * relayed). The answer says why, for the log; {@link Decision#publicReason()} is what the caller is
 * told.
 */
public final class CallerAdmission {
  private CallerAdmission() {}

  public record Decision(int status, String reason, String publicReason, Caller caller, TunnelState tunnel) {
    public boolean allowed() {
      return status == 200;
    }
  }

  /**
   * What one stream presented: the SHA-256 of the client certificate its connection was verified
   * with (null without one) and its caller key (null without one).
   */
  public record Credentials(String certificateSha256, String key) {
    public static Credentials key(String key) {
      return new Credentials(null, key);
    }

    @Override
    public String toString() {
      return "Credentials[certificateSha256=" + certificateSha256 + ", key=" + (key == null ? "none" : "(set)") + "]";
    }
  }

  public static Decision admit(Credentials presented, InetAddress source, String host, List<Caller> callers,
      TunnelRegistry tunnels) {
    Decision identified = identify(presented, callers);
    if (!identified.allowed()) {
      return identified;
    }
    Caller caller = identified.caller();
    if (!caller.allowedSources().isEmpty() && !allowed(source, caller.allowedSources())) {
      return refuse(403, "source " + source.getHostAddress() + " not in the caller's allowed sources",
          "source address not allowed", caller, null);
    }
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    int dot = h.indexOf('.');
    TunnelState tunnel = dot < 0 ? null : tunnels.byDomain(h.substring(dot + 1)).orElse(null);
    if (tunnel == null) {
      return refuse(404, "no tunnel for host " + h, "no such tunnel", caller, null);
    }
    if (tunnel.archived()) {
      return refuse(404, "tunnel " + tunnel.id() + " is archived", "no such tunnel", caller, tunnel);
    }
    if (!tunnel.organization().equals(caller.organization())) {
      return refuse(404, "tunnel " + tunnel.id() + " belongs to another organization", "no such tunnel", caller, tunnel);
    }
    if (!tunnel.hasActiveCa()) {
      return refuse(503, "tunnel " + tunnel.id() + " has no active CA certificate",
          "tunnel has no active CA certificate", caller, tunnel);
    }
    return new Decision(200, "allowed", "allowed", caller, tunnel);
  }

  /**
   * A presented credential that matches no caller is refused even when the other one matches: a
   * stale certificate or a wrong key is a sign of trouble, not something to skip over.
   */
  private static Decision identify(Credentials presented, List<Caller> callers) {
    Caller byCertificate = null;
    if (presented.certificateSha256() != null) {
      byCertificate = find(presented.certificateSha256(), callers, Caller::certificateSha256).orElse(null);
      if (byCertificate == null) {
        return refuse(401, "client certificate sha256 " + presented.certificateSha256() + " is not pinned by any caller",
            "client certificate rejected", null, null);
      }
    }
    Caller byKey = null;
    if (presented.key() != null) {
      byKey = find(sha256Hex(presented.key()), callers, Caller::keySha256).orElse(null);
      if (byKey == null) {
        return refuse(401, "unknown caller key", "caller key rejected", byCertificate, null);
      }
    }
    if (byCertificate != null && byKey != null && byCertificate != byKey) {
      return refuse(401, "the client certificate names caller " + byCertificate.name() + " but the caller key names "
          + byKey.name(), "client certificate and caller key name different callers", byCertificate, null);
    }
    Caller caller = byCertificate != null ? byCertificate : byKey;
    if (caller == null) {
      return refuse(401, "no caller key and no client certificate", "caller key rejected", null, null);
    }
    return new Decision(200, "identified", "identified", caller, null);
  }

  private static Optional<Caller> find(String hash, List<Caller> callers, Function<Caller, String> field) {
    byte[] wanted = hash.getBytes(StandardCharsets.US_ASCII);
    Caller found = null;
    for (Caller c : callers) {
      String pinned = field.apply(c);
      // Compare every entry in constant time, so timing does not tell how close a guess was.
      if (pinned != null && MessageDigest.isEqual(wanted, pinned.getBytes(StandardCharsets.US_ASCII))) {
        found = c;
      }
    }
    return Optional.ofNullable(found);
  }

  private static boolean allowed(InetAddress source, List<Ipv4Cidr> cidrs) {
    if (!(source instanceof Inet4Address v4)) {
      return false;
    }
    int ip = Ipv4.toInt(v4);
    return cidrs.stream().anyMatch(c -> c.contains(ip));
  }

  private static Decision refuse(int status, String reason, String publicReason, Caller caller, TunnelState tunnel) {
    return new Decision(status, reason, publicReason, caller, tunnel);
  }

  public static String sha256Hex(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
