package io.mcptunnel.egress;

import java.util.OptionalInt;

/** An IPv4 network, {@code 10.0.0.0/8}; a single address is a /32. */
public record Ipv4Cidr(int network, int prefixLength) {

  public Ipv4Cidr {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range (expected: 0-32)");
    }
    network &= mask(prefixLength);
  }

  /**
   * Parses {@code a.b.c.d} or {@code a.b.c.d/n} in strict decimal form.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static Ipv4Cidr parse(String text) {
    String t = text == null ? "" : text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    OptionalInt ip = Ipv4.parseStrict(addr);
    int prefix = 32;
    boolean ok = ip.isPresent();
    if (ok && slash >= 0) {
      String p = t.substring(slash + 1);
      ok = !p.isEmpty() && p.length() <= 2 && p.chars().allMatch(Character::isDigit)
          && Integer.parseInt(p) <= 32;
      prefix = ok ? Integer.parseInt(p) : 0;
    }
    if (!ok) {
      throw new IllegalArgumentException("\"" + text
          + "\" is not an IPv4 CIDR or address (expected e.g. 10.0.0.0/8 or 10.1.2.3; IPv6 is not supported)");
    }
    return new Ipv4Cidr(ip.getAsInt(), prefix);
  }

  public boolean contains(int address) {
    return (address & mask(prefixLength)) == network;
  }

  /** How many addresses the network spans. */
  public long size() {
    return 1L << (32 - prefixLength);
  }

  private static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  @Override
  public String toString() {
    return Ipv4.format(network) + "/" + prefixLength;
  }
}
