package io.mcptunnel.caller;

import io.mcptunnel.common.HostPort;
import io.netty.handler.ssl.SslContext;
import java.util.List;

/**
 * How a caller reaches tunnels: the edges' caller ports, the outer TLS to them (trusting the
 * edge's certificate, and carrying a client certificate when the edge authenticates callers by
 * mutual TLS), the caller key ({@code null} with mutual TLS), and where tunnel CAs come from.
 */
public record CallerSettings(List<HostPort> edges, SslContext edgeTls, String callerKey, TunnelCas cas,
    int threads) {

  public CallerSettings {
    if (edges.isEmpty()) {
      throw new IllegalArgumentException("at least one edge address is needed");
    }
    edges = List.copyOf(edges);
  }

  @Override
  public String toString() {
    // The caller key is a secret: never part of a message or log line.
    return "CallerSettings[edges=" + edges + ", callerKey=" + (callerKey == null ? "none" : "***") + "]";
  }
}
