package io.mcptunnel.caller;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Tunnel CA certificates given by configuration: tunnel domain → its active CA certificates. A
 * host {@code <route>.<domain>} belongs to the tunnel whose domain it ends with.
 */
public final class StaticTunnelCas implements TunnelCas {
  private final Map<String, List<X509Certificate>> byDomain;

  public StaticTunnelCas(Map<String, List<X509Certificate>> byDomain) {
    this.byDomain = Map.copyOf(byDomain);
  }

  @Override
  public CompletableFuture<Optional<List<X509Certificate>>> forHost(String host) {
    return CompletableFuture.completedFuture(lookup(host));
  }

  private Optional<List<X509Certificate>> lookup(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (var e : byDomain.entrySet()) {
      if (h.endsWith("." + e.getKey()) && h.length() > e.getKey().length() + 1) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }
}
