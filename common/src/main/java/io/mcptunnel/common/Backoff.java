package io.mcptunnel.common;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th retry waits a random time between half and all of
 * {@code min(max, base * 2^n)}, so many connectors that lost the same edge do not return in step.
 * A value with an injected random source, so tests never sleep or guess.
 */
public record Backoff(Duration base, Duration max, DoubleSupplier random) {

  public Backoff {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < base <= max (got " + base + ", " + max + ")");
    }
  }

  /** 1 s doubling up to 60 s, with {@link Math#random()} jitter. */
  public static Backoff standard() {
    return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Math::random);
  }

  /** How long to wait before retry number {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt) {
    long baseMs = base.toMillis();
    long capMs = max.toMillis();
    long ceiling = capMs;
    if (attempt < 62) {
      long scaled = baseMs << attempt;
      if (scaled >> attempt == baseMs) { // no overflow
        ceiling = Math.min(capMs, scaled);
      }
    }
    double factor = 0.5 + 0.5 * random.getAsDouble();
    return Duration.ofMillis(Math.max(1, Math.round(ceiling * factor)));
  }
}
