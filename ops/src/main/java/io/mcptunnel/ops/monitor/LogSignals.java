package io.mcptunnel.ops.monitor;

import io.mcptunnel.ops.monitor.Signal.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Which log messages mean what: the one table of the messages the components write (proxy,
 * edge, connector) and the signal each one is. One line can be several signals: a refused
 * connector token is logged at WARN, so it also counts toward a warning burst.
 */
public final class LogSignals {
  /** Proxy access line and caller gateway access line ({@code mcptunnel.access}). */
  static final String REQUEST = "request";
  /** Proxy egress refusal, e.g. {@code IP validation failed: 10.0.0.9 is not in allowed_ips}. */
  static final String IP_REFUSAL_PREFIX = "IP validation failed:";
  static final String PROXY_TLS_FAILED = "tls handshake failed";
  static final String EDGE_CALLER_TLS_REFUSED = "caller TLS handshake refused";
  static final String EDGE_CONNECTOR_REFUSED = "connector refused";
  static final String EDGE_CONNECTOR_REGISTERED = "connector registered";
  /** The connector logs the edge's reason as its message (TunnelProtocol's refusal reasons). */
  static final String TOKEN_REJECTED_PREFIX = "token rejected";
  static final String TUNNEL_ARCHIVED = "tunnel archived";

  private LogSignals() {}

  public static List<Signal> of(String source, LogEvent e) {
    List<Signal> out = new ArrayList<>(2);
    if (e.warnOrError()) {
      out.add(Signal.of(source, Kind.WARN_OR_ERROR, e));
    }
    String msg = e.msg();
    if (msg.equals(REQUEST)) {
      out.add(Signal.of(source, Kind.REQUEST, e));
    } else if (msg.startsWith(IP_REFUSAL_PREFIX)) {
      out.add(Signal.of(source, Kind.IP_REFUSAL, e));
    } else if (msg.equals(PROXY_TLS_FAILED) || msg.equals(EDGE_CALLER_TLS_REFUSED)) {
      out.add(Signal.of(source, Kind.TLS_FAILURE, e));
    } else if (msg.equals(EDGE_CONNECTOR_REFUSED) && tokenRefusal(e.field("reason"))) {
      out.add(Signal.of(source, Kind.TOKEN_REJECTED, e));
    } else if (tokenRefusal(msg)) {
      out.add(Signal.of(source, Kind.TOKEN_REJECTED, e));
    } else if (msg.equals(EDGE_CONNECTOR_REGISTERED)) {
      out.add(Signal.of(source, Kind.CONNECTOR_REGISTERED, e));
    }
    return out;
  }

  private static boolean tokenRefusal(String reason) {
    return reason.startsWith(TOKEN_REJECTED_PREFIX) || reason.equals(TUNNEL_ARCHIVED);
  }
}
