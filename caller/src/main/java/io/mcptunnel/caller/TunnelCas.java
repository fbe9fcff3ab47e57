package io.mcptunnel.caller;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Where the caller learns a tunnel's active CA certificates, the only certificates a proxy's
 * certificate may be signed by. Empty when the caller knows no tunnel for the host.
 */
public interface TunnelCas {
  Optional<List<X509Certificate>> forHost(String host);
}
