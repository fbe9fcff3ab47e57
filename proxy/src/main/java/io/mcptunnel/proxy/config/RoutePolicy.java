package io.mcptunnel.proxy.config;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the proxy enforces on one route beyond the public proxy's behaviour (SPEC §2.3, the
 * {@code policies:} map). Every part is opt-in; {@link #NONE} changes nothing.
 *
 * @param allowedTools when present, the only tools a caller may see in {@code tools/list} or invoke
 *     with {@code tools/call}
 * @param requireAuthorization answer 401 to requests without a Bearer token, before any upstream
 *     connection is made
 * @param rateLimit requests admitted per second on this route (token bucket)
 * @param maxRequestBytes the largest request body accepted
 */
public record RoutePolicy(
    Optional<Set<String>> allowedTools,
    boolean requireAuthorization,
    Optional<RateLimit> rateLimit,
    OptionalLong maxRequestBytes) {

  public static final RoutePolicy NONE =
      new RoutePolicy(Optional.empty(), false, Optional.empty(), OptionalLong.empty());

  public RoutePolicy {
    allowedTools = allowedTools.map(Set::copyOf);
  }

  /** Whether a tool may be listed and called on this route. */
  public boolean toolAllowed(String name) {
    return allowedTools.map(t -> t.contains(name)).orElse(true);
  }

  /** A token bucket: {@code burst} requests at once, refilled at {@code requestsPerSecond}. */
  public record RateLimit(double requestsPerSecond, int burst) {}
}
