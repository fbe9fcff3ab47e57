package io.mcptunnel.ops.firewall;

import io.mcptunnel.egress.Ipv4;
import java.net.Inet4Address;
import java.util.Comparator;

/** One address:port (TCP) the stack may connect to, and why, for the rule's comment. */
public record Destination(Inet4Address address, int port, String why) implements Comparable<Destination> {
  private static final Comparator<Destination> ORDER = Comparator
      .comparingLong((Destination d) -> Integer.toUnsignedLong(Ipv4.toInt(d.address())))
      .thenComparingInt(Destination::port)
      .thenComparing(Destination::why);

  @Override
  public int compareTo(Destination other) {
    return ORDER.compare(this, other);
  }

  public String addressText() {
    return address.getHostAddress();
  }
}
