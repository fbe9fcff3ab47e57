package io.mcptunnel.controlplane.federation;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which URLs the control plane may fetch discovery documents and JWKS from: https only, because
 * keys fetched over plain http can be swapped in transit. The one exception, for tests, is plain
 * http to a literal loopback address (never a name, which DNS could point anywhere), and only
 * when the dangerous switch {@code allowInsecureLoopbackIssuers} is on.
 */
public record IssuerUrlPolicy(boolean allowInsecureLoopbackIssuers) {

  public static final IssuerUrlPolicy PRODUCTION = new IssuerUrlPolicy(false);

  /** Empty when the URL may be fetched, otherwise why not. */
  public Optional<String> refusal(URI url) {
    if (url == null || !url.isAbsolute() || url.getHost() == null || url.getRawUserInfo() != null) {
      return Optional.of("not an absolute URL with a host: " + Details.quote(url));
    }
    if ("https".equals(url.getScheme())) {
      return Optional.empty();
    }
    if ("http".equals(url.getScheme())) {
      if (!allowInsecureLoopbackIssuers) {
        return Optional.of("plain http is refused: " + Details.quote(url));
      }
      return isLiteralLoopback(url.getHost()) ? Optional.empty()
          : Optional.of("plain http is allowed only to a literal loopback address: " + Details.quote(url));
    }
    return Optional.of("unsupported scheme: " + Details.quote(url));
  }

  private static boolean isLiteralLoopback(String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    boolean literal = h.matches("[0-9.]+") || h.contains(":");
    if (!literal) {
      return false;
    }
    try {
      // A literal is parsed without any DNS lookup.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
