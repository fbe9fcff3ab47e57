package io.mcptunnel.egress;

import java.util.List;

/**
 * Which upstream addresses the proxy may connect to: the RFC 1918 default, an explicit list that
 * replaces it, or validation switched off.
 */
public record EgressPolicy(Mode mode, List<Ipv4Cidr> allowed) {

  public enum Mode { DEFAULT_PRIVATE, ALLOW_LIST, VALIDATION_DISABLED }

  public static final List<Ipv4Cidr> RFC1918 = List.of(
      Ipv4Cidr.parse("10.0.0.0/8"), Ipv4Cidr.parse("172.16.0.0/12"), Ipv4Cidr.parse("192.168.0.0/16"));

  public EgressPolicy {
    allowed = List.copyOf(allowed);
  }

  public static EgressPolicy defaultPrivate() {
    return new EgressPolicy(Mode.DEFAULT_PRIVATE, RFC1918);
  }

  public static EgressPolicy allowList(List<Ipv4Cidr> cidrs) {
    if (cidrs.isEmpty()) {
      throw new IllegalArgumentException("an allow list needs at least one CIDR");
    }
    return new EgressPolicy(Mode.ALLOW_LIST, cidrs);
  }

  /** Every address allowed. The name says what it is: the SSRF defence is off. */
  public static EgressPolicy validationDisabled() {
    return new EgressPolicy(Mode.VALIDATION_DISABLED, List.of());
  }

  /** The end of the refusal log line: {@code <ip> is not a private address}, or not in allowed_ips. */
  String refusalPhrase() {
    return mode == Mode.ALLOW_LIST ? "is not in allowed_ips" : "is not a private address";
  }
}
