package io.mcptunnel.controlplane.tunnels;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Settings of the Tunnels service: the zone under which tunnel domains are allocated, the default
 * limit of active tunnels per organization (an organization may carry its own), the server key
 * tunnel tokens are derived from, and where domain labels come from (random; tests substitute).
 */
public record TunnelServiceConfig(
    String tunnelZone, int defaultMaxActiveTunnels, byte[] tokenKey, Supplier<String> domainLabels) {

  public static final int DEFAULT_MAX_ACTIVE_TUNNELS = 10;
  private static final Pattern ZONE =
      Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  public TunnelServiceConfig {
    Objects.requireNonNull(tunnelZone, "tunnelZone");
    Objects.requireNonNull(domainLabels, "domainLabels");
    if (!ZONE.matcher(tunnelZone).matches()) {
      throw new IllegalArgumentException(
          "tunnelZone: " + tunnelZone + " (expected: a lowercase DNS name such as tunnels.example.com)");
    }
    if (defaultMaxActiveTunnels < 1) {
      throw new IllegalArgumentException(
          "defaultMaxActiveTunnels: " + defaultMaxActiveTunnels + " (expected: at least 1)");
    }
    if (tokenKey == null || tokenKey.length < 32) {
      throw new IllegalArgumentException("tokenKey: too short (expected: at least 32 bytes)");
    }
    tokenKey = tokenKey.clone();
  }

  public static TunnelServiceConfig of(String tunnelZone, byte[] tokenKey) {
    return new TunnelServiceConfig(tunnelZone, DEFAULT_MAX_ACTIVE_TUNNELS, tokenKey, Ids::domainLabel);
  }

  public TunnelServiceConfig withDefaultMaxActiveTunnels(int max) {
    return new TunnelServiceConfig(tunnelZone, max, tokenKey, domainLabels);
  }

  public TunnelServiceConfig withDomainLabels(Supplier<String> labels) {
    return new TunnelServiceConfig(tunnelZone, defaultMaxActiveTunnels, tokenKey, labels);
  }

  @Override
  public byte[] tokenKey() {
    return tokenKey.clone();
  }

  @Override
  public String toString() {
    return "TunnelServiceConfig[tunnelZone=" + tunnelZone + ", defaultMaxActiveTunnels="
        + defaultMaxActiveTunnels + ", tokenKey=<redacted>]";
  }
}
