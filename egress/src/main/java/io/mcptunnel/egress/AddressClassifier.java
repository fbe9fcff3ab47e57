package io.mcptunnel.egress;

import io.mcptunnel.egress.Verdict.Reason;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The one decision whether the proxy may connect to an address. Pure; the rule order is fixed:
 * validation off allows all; IPv6 is refused (the proxy reaches upstreams over IPv4 only, which
 * also closes IPv4-mapped and -compatible forms); addresses that are never a unicast destination
 * ({@code 0.0.0.0/8}, multicast, reserved and broadcast) are refused even when a broad allow list
 * covers them; otherwise the address must lie in the policy's networks.
 */
public final class AddressClassifier {
  private static final Ipv4Cidr THIS_NETWORK = Ipv4Cidr.parse("0.0.0.0/8");
  private static final Ipv4Cidr MULTICAST = Ipv4Cidr.parse("224.0.0.0/4");
  private static final Ipv4Cidr RESERVED_AND_BROADCAST = Ipv4Cidr.parse("240.0.0.0/4");

  private static final Ipv4Cidr LOOPBACK = Ipv4Cidr.parse("127.0.0.0/8");
  private static final Ipv4Cidr LINK_LOCAL = Ipv4Cidr.parse("169.254.0.0/16");
  private static final int METADATA = Ipv4Cidr.parse("169.254.169.254/32").network();

  private AddressClassifier() {}

  public static Verdict classify(InetAddress address, EgressPolicy policy) {
    String text = address.getHostAddress();
    if (policy.mode() == EgressPolicy.Mode.VALIDATION_DISABLED) {
      return verdict(text, Reason.VALIDATION_DISABLED, policy);
    }
    if (!(address instanceof Inet4Address v4)) {
      return verdict(text, Reason.IPV6_NOT_SUPPORTED, policy);
    }
    int ip = Ipv4.toInt(v4);
    if (THIS_NETWORK.contains(ip) || MULTICAST.contains(ip) || RESERVED_AND_BROADCAST.contains(ip)) {
      return verdict(text, Reason.NOT_UNICAST, policy);
    }
    for (Ipv4Cidr cidr : policy.allowed()) {
      if (cidr.contains(ip)) {
        return verdict(text, Reason.ALLOWED, policy);
      }
    }
    return verdict(text, Reason.NOT_ALLOWED, policy);
  }

  /**
   * Why the address is a hazardous upstream even when an allow list covers it (loopback,
   * link-local including the cloud metadata address, or not unicast), or {@code null} when it is an
   * ordinary address. The proxy refuses these under the default policy.
   */
  public static String hazard(Inet4Address address) {
    int ip = Ipv4.toInt(address);
    if (THIS_NETWORK.contains(ip) || MULTICAST.contains(ip) || RESERVED_AND_BROADCAST.contains(ip)) {
      return "not a unicast address; the proxy always refuses it";
    }
    if (ip == METADATA) {
      return "cloud metadata address";
    }
    if (LOOPBACK.contains(ip)) {
      return "loopback address";
    }
    if (LINK_LOCAL.contains(ip)) {
      return "link-local address";
    }
    return null;
  }

  static Verdict verdict(String address, Reason reason, EgressPolicy policy) {
    return new Verdict(address, reason, policy.refusalPhrase());
  }
}
