package io.mcptunnel.controlplane.federation;

import java.time.Duration;
import java.time.Instant;

/**
 * SPEC §4.2: minted lifetime = min(rule lifetime, 2 × remaining JWT lifetime), at least 60 s. The
 * factor two bounds how long a stolen, nearly-expired workload JWT can keep buying access.
 */
final class MintedLifetime {
  static final long FLOOR_SECONDS = 60;

  private MintedLifetime() {}

  static Duration of(int ruleLifetimeSeconds, Instant jwtExpiry, Instant now) {
    // Remaining may be zero or negative inside the skew window; the floor then applies.
    long remaining = Math.max(0, Duration.between(now, jwtExpiry).toSeconds());
    long seconds = Math.min(ruleLifetimeSeconds, 2 * remaining);
    return Duration.ofSeconds(Math.max(FLOOR_SECONDS, seconds));
  }
}
