package io.mcptunnel.pki;

import java.util.Locale;

/** Host name matching against certificate SAN dNSName entries (RFC 6125 subset, as Go does). */
public final class HostNames {
  private HostNames() {}

  /**
   * Whether the SAN entry names {@code host}: equal ignoring case, or a wildcard {@code *.<rest>}
   * standing for exactly one leftmost label, so {@code *.abc.example} covers {@code
   * echo.abc.example} but neither {@code abc.example} nor {@code a.b.abc.example}.
   */
  public static boolean covers(String sanDnsName, String host) {
    if (sanDnsName == null || host == null) {
      return false;
    }
    String pattern = normalize(sanDnsName);
    String name = normalize(host);
    if (pattern.isEmpty() || name.isEmpty()) {
      return false;
    }
    if (pattern.equals(name)) {
      return true;
    }
    if (!pattern.startsWith("*.")) {
      return false;
    }
    String rest = pattern.substring(1); // ".abc.example"
    if (rest.length() < 2 || !name.endsWith(rest)) {
      return false;
    }
    String label = name.substring(0, name.length() - rest.length());
    return !label.isEmpty() && !label.contains(".") && !label.contains("*");
  }

  /** DNS is case-insensitive and a trailing dot only marks the name as absolute. */
  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
