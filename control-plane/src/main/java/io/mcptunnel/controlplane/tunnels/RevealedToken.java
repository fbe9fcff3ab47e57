package io.mcptunnel.controlplane.tunnels;

/** The SPEC §4.1 object {@code tunnel_token}; {@link #toString()} never shows the value. */
public record RevealedToken(String id, String tunnelToken) {
  public static final String TYPE = "tunnel_token";

  @Override
  public String toString() {
    return "RevealedToken[id=" + id + ", tunnelToken=<redacted>]";
  }
}
