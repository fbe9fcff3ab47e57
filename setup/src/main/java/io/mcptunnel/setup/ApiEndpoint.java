package io.mcptunnel.setup;

import io.mcptunnel.common.LoopbackHosts;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.TrustContexts;
import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * The Tunnels API base URL and how to trust it. Plain {@code http} is allowed only to a loopback
 * host: the identity token and the tunnel token travel in these requests. {@code caFile} (PEM)
 * replaces the JVM's trust store for {@code https}.
 */
public record ApiEndpoint(URI baseUrl, Path caFile) {
  public ApiEndpoint {
    if (baseUrl == null) {
      throw new SetupException("--api-url is not set (nor API_URL)");
    }
    String scheme = baseUrl.getScheme();
    String host = baseUrl.getHost();
    if (host == null || !("https".equals(scheme) || "http".equals(scheme))) {
      throw new SetupException("--api-url: \"" + baseUrl + "\" (expected https://HOST[:PORT])");
    }
    if ("http".equals(scheme) && !LoopbackHosts.isLoopback(host)) {
      throw new SetupException("--api-url: \"" + baseUrl + "\" uses http to a non-loopback host;"
          + " use https (the identity token and tunnel token would travel in clear)");
    }
    if (caFile != null && "http".equals(scheme)) {
      throw new SetupException("--api-ca-file is only for https API URLs");
    }
  }

  /** The full URI of an API path such as {@code /v1/tunnels}. */
  public URI resolve(String path) {
    return URI.create(baseUrl.toString().replaceAll("/+$", "") + path);
  }

  /** The TLS context for {@code caFile}, or null for the JVM default. */
  SSLContext sslContext() {
    if (caFile == null) {
      return null;
    }
    try {
      return TrustContexts.trusting(PemFiles.readCertificates(caFile));
    } catch (RuntimeException e) {
      throw new SetupException("--api-ca-file " + caFile + ": " + e.getMessage(), e);
    }
  }

}
