package io.mcptunnel.edge.registry;

import io.mcptunnel.tunnel.TunnelProtocol;
import io.mcptunnel.tunnel.TunnelToken;
import java.util.Optional;

/**
 * Whether a connector presenting a tunnel token may connect. Pure and ordered so each refusal is
 * predictable: the tunnel's state (archived, rotated) is reported before the secret is checked, so
 * a connector left with an old token is told why instead of "unknown". Reasons are fixed strings
 * from {@link TunnelProtocol}: they never echo the token or its secret.
 */
public final class ConnectorAdmission {
  public static final int ACCEPTED = 101;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;

  /**
   * The decision. {@code tunnel} is set whenever the token named a known tunnel, also on refusals,
   * so refusals can be counted per tunnel; only {@code accepted} grants the connection.
   */
  public record Admission(boolean accepted, TunnelState tunnel, String reason, int status) {}

  private ConnectorAdmission() {}

  /** {@code bearerToken} is the token itself, without the {@code Bearer} scheme; may be null. */
  public static Admission admit(String bearerToken, TunnelRegistry registry) {
    Optional<TunnelToken> parsed = TunnelToken.parse(bearerToken);
    if (parsed.isEmpty()) {
      return refuse(null, TunnelProtocol.TOKEN_UNKNOWN, UNAUTHORIZED);
    }
    TunnelToken token = parsed.get();
    TunnelState tunnel = registry.byId(token.tunnelId()).orElse(null);
    if (tunnel == null) {
      return refuse(null, TunnelProtocol.TOKEN_UNKNOWN, UNAUTHORIZED);
    }
    if (tunnel.archived()) {
      return refuse(tunnel, TunnelProtocol.TUNNEL_ARCHIVED, FORBIDDEN);
    }
    if (tunnel.retiredTokenIds().contains(token.tokenId())) {
      return refuse(tunnel, TunnelProtocol.TOKEN_ROTATED, UNAUTHORIZED);
    }
    if (!tunnel.currentTokenId().equals(token.tokenId()) || !token.matches(tunnel.currentTokenHash())) {
      return refuse(tunnel, TunnelProtocol.TOKEN_UNKNOWN, UNAUTHORIZED);
    }
    return new Admission(true, tunnel, "accepted", ACCEPTED);
  }

  private static Admission refuse(TunnelState tunnel, String reason, int status) {
    return new Admission(false, tunnel, reason, status);
  }
}
