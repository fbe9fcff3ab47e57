package io.mcptunnel.edge;

/** What the caller listener reports, for metrics; kept free of any metrics library. */
public interface CallerStreamEvents {
  CallerStreamEvents NONE = new CallerStreamEvents() {
    @Override
    public void opened(String tunnelId) {}

    @Override
    public void refused(int status) {}

    @Override
    public void handshakeRefused() {}
  };

  /** A caller stream was joined to a tunnel stream. */
  void opened(String tunnelId);

  /** A caller stream was refused with this status (401, 403, 404, 502, 503). */
  void refused(int status);

  /**
   * A caller's TLS handshake failed after it had sent something, e.g. with a client certificate
   * that does not chain to the caller CAs. Bare TCP connects (health checks) are not counted.
   */
  void handshakeRefused();
}
