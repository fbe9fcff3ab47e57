package io.mcptunnel.setup;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

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
    if ("http".equals(scheme) && !isLoopback(host)) {
      throw new SetupException("--api-url: \"" + baseUrl + "\" uses http to a non-loopback host;"
          + " use https (the identity token and tunnel token would travel in clear)");
    }
    if (caFile != null && "http".equals(scheme)) {
      throw new SetupException("--api-ca-file is only for https API URLs");
    }
  }

  /** A literal loopback address or {@code localhost}; never resolves other names. */
  static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (IOException e) {
      return false;
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
      List<X509Certificate> cas = io.mcptunnel.pki.PemFiles.readCertificates(caFile);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load((InputStream) null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw new SetupException("--api-ca-file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
