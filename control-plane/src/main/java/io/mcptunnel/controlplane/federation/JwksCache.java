package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.jwk.JWKSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each issuer's JWKS for {@code ttl}. {@link #refreshed} is for an unknown {@code kid} (the
 * issuer may have rotated): it refetches, but at most once per {@code minRefetchInterval}, so a
 * stream of tokens with made-up kids cannot turn us into a load generator against the issuer.
 * When a refetch fails, the keys we had are kept.
 */
public final class JwksCache {
  private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

  private final JwksFetcher fetcher;
  private final Clock clock;
  private final Duration ttl;
  private final Duration minRefetchInterval;
  // Keyed by the whole issuer record, so an edited issuer (new URL or source) never sees old keys.
  private final Map<FederationIssuer, Entry> entries = new ConcurrentHashMap<>();

  private static final class Entry {
    JWKSet keys;
    Instant fetchedAt;
  }

  public JwksCache(JwksFetcher fetcher, Clock clock, Duration ttl, Duration minRefetchInterval) {
    this.fetcher = fetcher;
    this.clock = clock;
    this.ttl = ttl;
    this.minRefetchInterval = minRefetchInterval;
  }

  /** The issuer's keys, fetched when absent or older than the TTL. */
  public JWKSet keys(FederationIssuer issuer) {
    Entry e = entries.computeIfAbsent(issuer, i -> new Entry());
    synchronized (e) {
      if (e.keys == null || !clock.instant().isBefore(e.fetchedAt.plus(ttl))) {
        load(issuer, e);
      }
      return e.keys;
    }
  }

  /** Keys after a forced refetch (rate-limited); the current keys when a refetch is not allowed yet. */
  public JWKSet refreshed(FederationIssuer issuer) {
    Entry e = entries.computeIfAbsent(issuer, i -> new Entry());
    synchronized (e) {
      if (e.keys == null || !clock.instant().isBefore(e.fetchedAt.plus(minRefetchInterval))) {
        load(issuer, e);
      }
      return e.keys;
    }
  }

  private void load(FederationIssuer issuer, Entry e) {
    try {
      e.keys = fetcher.fetch(issuer);
      e.fetchedAt = clock.instant();
    } catch (JwksUnavailableException ex) {
      if (e.keys == null) {
        throw ex;
      }
      LOG.warn("jwks refetch failed, keeping cached keys issuer_id={} reason={}", issuer.id(), ex.getMessage());
      // Try again after the refetch interval rather than on every request.
      e.fetchedAt = clock.instant().minus(ttl).plus(minRefetchInterval);
    }
  }
}
