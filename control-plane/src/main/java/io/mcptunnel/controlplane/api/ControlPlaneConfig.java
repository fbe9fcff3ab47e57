package io.mcptunnel.controlplane.api;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a control-plane process needs: where to listen, the data directory (token key, access-token
 * signing key and — without {@code databaseUrl} — the embedded database), an optional JDBC URL, the
 * tunnel zone, the default active-tunnel limit and optional TLS files for the listener. {@link #toString()} leaves the URL and the
 * password out: a URL may carry credentials too.
 */
public record ControlPlaneConfig(
    InetSocketAddress listen, Path dataDirectory, String databaseUrl, String databasePassword,
    String tunnelZone, int maxActiveTunnelsPerOrganization, TlsFiles tls) {

  /** The listener's certificate chain and key, PEM; without them the listener is plain HTTP. */
  public record TlsFiles(Path certFile, Path keyFile) {
    public TlsFiles {
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(keyFile, "keyFile");
    }
  }

  /** The {@code iss} of our access tokens; the verifier insists on it. */
  public static final String TOKEN_ISSUER = "urn:mcptunnel:control-plane";

  public ControlPlaneConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(tunnelZone, "tunnelZone");
    if (maxActiveTunnelsPerOrganization < 1) {
      throw new IllegalArgumentException("maxActiveTunnelsPerOrganization: "
          + maxActiveTunnelsPerOrganization + " (expected: at least 1)");
    }
  }

  /** Without a database password (embedded, or credentials the URL's driver finds elsewhere). */
  public ControlPlaneConfig(InetSocketAddress listen, Path dataDirectory, String databaseUrl,
      String tunnelZone, int maxActiveTunnelsPerOrganization) {
    this(listen, dataDirectory, databaseUrl, null, tunnelZone, maxActiveTunnelsPerOrganization, null);
  }

  @Override
  public String toString() {
    return "ControlPlaneConfig[listen=" + listen + ", dataDirectory=" + dataDirectory + ", database="
        + (databaseUrl == null ? "embedded" : "external") + ", tunnelZone=" + tunnelZone
        + ", maxActiveTunnelsPerOrganization=" + maxActiveTunnelsPerOrganization
        + ", tls=" + (tls == null ? "off" : tls.certFile()) + "]";
  }
}
