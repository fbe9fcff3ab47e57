package io.mcptunnel.common;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Whether a URL host is this machine, decided from its text alone: {@code localhost} or a loopback
 * IP literal ({@code 127.0.0.0/8}, {@code ::1}, bracketed or not). Any other name is "not loopback"
 * without a DNS lookup, since a resolver could answer anything. Used wherever plain {@code http}
 * would carry a credential: it is allowed only to a host for which this says true.
 */
public final class LoopbackHosts {
  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private LoopbackHosts() {}

  public static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4_LITERAL.matcher(h).matches() && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, never looked up
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
