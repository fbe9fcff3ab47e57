package io.mcptunnel.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The proxy's meters. Labels are bounded: route names come from the config, never from requests. */
public final class ProxyMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger sessions = new AtomicInteger();
  private final AtomicLong certNotAfter = new AtomicLong();
  private final Counter handshakeFailures;
  private final Counter bytesIn;
  private final Counter bytesOut;
  private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("mcptunnel.proxy.sessions.active", sessions);
    registry.gauge("mcptunnel.proxy.certificate.expiry.seconds", certNotAfter,
        v -> v.get() - Instant.now().getEpochSecond());
    handshakeFailures = Counter.builder("mcptunnel.proxy.tls.handshake.failures")
        .description("Inner TLS handshakes that failed").register(registry);
    bytesIn = Counter.builder("mcptunnel.proxy.bytes").tag("direction", "in").register(registry);
    bytesOut = Counter.builder("mcptunnel.proxy.bytes").tag("direction", "out").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  void sessionOpened() {
    sessions.incrementAndGet();
  }

  void sessionClosed() {
    sessions.decrementAndGet();
  }

  void handshakeFailed() {
    handshakeFailures.increment();
  }

  public void certificateLoaded(Instant notAfter) {
    certNotAfter.set(notAfter.getEpochSecond());
    registry.counter("mcptunnel.proxy.certificate.reloads").increment();
  }

  void request(String route, int status, long in, long out, Duration took) {
    // Looked up once per (route, status): building a meter id per request costs more than the rest.
    requestTimers.computeIfAbsent(route + '\n' + status, k -> Timer.builder("mcptunnel.proxy.requests")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry))
        .record(took);
    bytesIn.increment(in);
    bytesOut.increment(out);
  }

  void upstreamRefused(String route, String reason) {
    registry.counter("mcptunnel.proxy.upstream.refused", "route", route, "reason", reason).increment();
  }

  /**
   * A request (or response) the route's policy refused; {@code reason} is one of a fixed set
   * (Prometheus: {@code mcptunnel_proxy_policy_refusals_total{route,reason}}).
   */
  public void policyRefused(String route, String reason) {
    registry.counter("mcptunnel.proxy.policy.refusals", "route", route, "reason", reason).increment();
  }

  void upstreamFailed(String route) {
    registry.counter("mcptunnel.proxy.upstream.failures", "route", route).increment();
  }
}
