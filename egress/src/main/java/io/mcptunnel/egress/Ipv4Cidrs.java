package io.mcptunnel.egress;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Set arithmetic on IPv4 networks. Pure. */
public final class Ipv4Cidrs {
  private Ipv4Cidrs() {}

  /**
   * The fewest networks covering exactly {@code addresses}: one /32 per distinct address, with two
   * sibling blocks merged into their parent only when both are wholly in the set, so the result
   * never allows an address outside it. Sorted by network address (unsigned).
   */
  public static List<Ipv4Cidr> narrowest(Collection<Inet4Address> addresses) {
    TreeSet<Long> level = new TreeSet<>();
    for (Inet4Address a : addresses) {
      level.add(Ipv4.toInt(a) & 0xffffffffL);
    }
    List<Ipv4Cidr> result = new ArrayList<>();
    for (int prefix = 32; prefix > 0 && !level.isEmpty(); prefix--) {
      long size = 1L << (32 - prefix);
      TreeSet<Long> parents = new TreeSet<>();
      for (long network : level) {
        if (level.contains(network ^ size)) {
          parents.add(network & ~size);
        } else {
          result.add(new Ipv4Cidr((int) network, prefix));
        }
      }
      level = parents;
    }
    if (!level.isEmpty()) {
      result.add(new Ipv4Cidr(0, 0));
    }
    result.sort(Comparator.comparingLong(c -> c.network() & 0xffffffffL));
    return List.copyOf(result);
  }

  /** How many distinct addresses the networks cover together (overlaps counted once). */
  public static long addressCount(Collection<Ipv4Cidr> cidrs) {
    List<long[]> ranges = new ArrayList<>();
    for (Ipv4Cidr c : cidrs) {
      long start = c.network() & 0xffffffffL;
      ranges.add(new long[] {start, start + c.size()});
    }
    ranges.sort(Comparator.comparingLong(r -> r[0]));
    long total = 0;
    long covered = -1;
    for (long[] r : ranges) {
      long start = Math.max(r[0], covered);
      if (r[1] > start) {
        total += r[1] - start;
        covered = r[1];
      }
    }
    return total;
  }
}
