package io.mcptunnel.ops;

import io.mcptunnel.common.LoopbackHosts;
import java.net.URI;

/**
 * Where the control plane's admin token may be sent: over https, or plain http to a loopback
 * host only, since the token (which can change every organization) travels in the request.
 */
public final class AdminUrls {
  private AdminUrls() {}

  /** Why {@code url} (given with {@code flag}) must not carry the admin token, or null when it may. */
  public static String refusal(URI url, String flag) {
    String scheme = url.getScheme();
    if (url.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))
        || "http".equals(scheme) && !LoopbackHosts.isLoopback(url.getHost())) {
      return flag + " " + url + ": expected https://HOST[:PORT] (http only to loopback: the admin token travels in it)";
    }
    return null;
  }
}
