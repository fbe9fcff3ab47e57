package io.mcptunnel.proxy.policy;

import java.util.function.LongSupplier;

/**
 * {@code rate_limit}: a token bucket of {@code burst} tokens refilled at {@code requestsPerSecond}.
 * Shared by every session of a route, so it is synchronized; the ticker (nanoseconds) is injected so
 * tests are exact without sleeping.
 */
public final class TokenBucket {
  private static final double NANOS = 1_000_000_000d;

  private final double perNano;
  private final int burst;
  private final LongSupplier ticker;
  private double tokens;
  private long last;

  public TokenBucket(double requestsPerSecond, int burst, LongSupplier ticker) {
    this.perNano = requestsPerSecond / NANOS;
    this.burst = burst;
    this.ticker = ticker;
    this.tokens = burst;
    this.last = ticker.getAsLong();
  }

  /** Takes a token: 0 when admitted, else the nanoseconds until one will be available. */
  public synchronized long take() {
    long now = ticker.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
  }

  /** The {@code Retry-After} value (whole seconds, at least 1) for a wait of {@code nanos}. */
  public static long retryAfterSeconds(long nanos) {
    return Math.max(1, (long) Math.ceil(nanos / NANOS));
  }
}
