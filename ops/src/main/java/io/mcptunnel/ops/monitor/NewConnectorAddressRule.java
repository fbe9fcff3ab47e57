package io.mcptunnel.ops.monitor;

import io.mcptunnel.ops.monitor.Alert.Severity;
import io.mcptunnel.ops.monitor.Signal.Kind;
import java.time.Instant;
import java.util.List;

/**
 * A connector registered from a host no connector registered from before (over all tunnels and
 * sources). During the learning period hosts are learned silently; afterwards each new host
 * alerts once and is then known. Only the host counts: the source port changes on every
 * connection.
 */
final class NewConnectorAddressRule implements Rule {
  static final String NAME = "new-connector-address";

  private final KnownAddresses known;

  NewConnectorAddressRule(KnownAddresses known) {
    this.known = known;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Alert> accept(Signal s, Instant now) {
    if (s.kind() != Kind.CONNECTOR_REGISTERED) {
      return List.of();
    }
    String host = host(s.example().field("remote"));
    if (host.isEmpty() || known.known(host)) {
      return List.of();
    }
    boolean learning = known.learning(now);
    List<String> before = known.hosts().stream().sorted().toList();
    known.add(host);
    if (learning) {
      return List.of();
    }
    String tunnel = s.example().field("tunnel");
    String summary = "connector" + (tunnel.isEmpty() ? "" : " of tunnel " + tunnel) + " registered from "
        + host + ", an address not seen before (known: " + (before.isEmpty() ? "none" : String.join(", ", before)) + ")";
    return List.of(new Alert(now, NAME, Severity.CRITICAL, s.source(), summary, 1, 0, "since first run",
        now, Alert.example(s.example())));
  }

  @Override
  public boolean cooledDown() {
    return false; // every new host is its own alert, and alerts once
  }

  /**
   * The host of a socket address as the edge logs it ({@code InetSocketAddress.toString()}:
   * {@code /10.0.0.5:41234}, {@code name/10.0.0.5:41234}, {@code /[::1]:41234}).
   */
  static String host(String remote) {
    String s = remote.strip();
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(slash + 1);
    }
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      return close < 0 ? s : s.substring(1, close);
    }
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}
