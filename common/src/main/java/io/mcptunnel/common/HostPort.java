package io.mcptunnel.common;

import java.net.InetSocketAddress;

/**
 * A listen or dial address in the Go form {@code host:port}: {@code ":8080"} means every interface,
 * IPv6 hosts are bracketed ({@code "[::1]:8080"}).
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range (expected: 0-65535)");
    }
  }

  /**
   * Parses {@code host:port}.
   *
   * @throws IllegalArgumentException naming the value and the expected form
   */
  public static HostPort parse(String text) {
    String expected = " (expected host:port, e.g. \":8080\" or \"127.0.0.1:8080\")";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty address" + expected);
    }
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("\"" + text + "\" has no port" + expected);
    }
    String host = text.substring(0, colon);
    String portText = text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("\"" + text + "\": IPv6 hosts must be bracketed" + expected);
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" has an invalid port" + expected);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("\"" + text + "\" has a port out of range" + expected);
    }
    return new HostPort(host, port);
  }

  /** Whether the host part is empty, i.e. the address means every interface. */
  public boolean anyInterface() {
    return host.isEmpty();
  }

  /** An unresolved-free socket address: empty host binds every interface. */
  public InetSocketAddress toSocketAddress() {
    return anyInterface() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
