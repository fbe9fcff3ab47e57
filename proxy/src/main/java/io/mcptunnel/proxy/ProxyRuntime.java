package io.mcptunnel.proxy;

import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.proxy.tls.CertificateReloader;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.mcptunnel.proxy.policy.RouteGuard;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;

/** What every session of one proxy shares: routing, the egress guard, TLS contexts, meters, state. */
final class ProxyRuntime {
  final RouteTable routes;
  final EgressGuard guard;
  final CertificateReloader serverTls;
  final SslContext upstreamTls;
  final ProxyMetrics metrics;
  final Executor lookups;
  final ChannelGroup sessions;
  final Duration idleSessionTimeout;
  /** Route name to its policy guard; empty when no route has a policy (nothing is installed then). */
  final Map<String, RouteGuard> guards;
  private volatile boolean draining;

  ProxyRuntime(RouteTable routes, EgressGuard guard, CertificateReloader serverTls, SslContext upstreamTls,
      ProxyMetrics metrics, Executor lookups, ChannelGroup sessions, Duration idleSessionTimeout,
      Map<String, RouteGuard> guards) {
    this.routes = routes;
    this.guard = guard;
    this.serverTls = serverTls;
    this.upstreamTls = upstreamTls;
    this.metrics = metrics;
    this.lookups = lookups;
    this.sessions = sessions;
    this.idleSessionTimeout = idleSessionTimeout;
    this.guards = Map.copyOf(guards);
  }

  boolean draining() {
    return draining;
  }

  void startDraining() {
    draining = true;
  }
}
