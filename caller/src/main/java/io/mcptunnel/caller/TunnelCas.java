package io.mcptunnel.caller;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the caller learns a tunnel's active CA certificates, the only certificates a proxy's
 * certificate may be signed by. Empty when the caller knows no tunnel for the host.
 *
 * <p>{@link #forHost} is called on a Netty event loop (every session opened and every pooled session
 * reused asks it), so it must never block: a source that has to ask over the network (the control
 * plane) answers with a future that completes later, on any thread; the caller moves back to its
 * event loop itself. A source that knows the answer at once returns a completed future, and then
 * nothing changes thread at all. A failed future carries a {@link TunnelCallException} whose status
 * the gateway answers with.
 */
public interface TunnelCas {
  CompletableFuture<Optional<List<X509Certificate>>> forHost(String host);

  /**
   * A proxy of {@code host} served a certificate signed by none of {@code cas}, an answer this source
   * gave. A source that caches answers drops that one if it may be outdated (the tunnel may have
   * registered a CA since), so the next {@link #forHost} asks again. Never blocks; by default nothing.
   */
  default void refused(String host, List<X509Certificate> cas) {}
}
