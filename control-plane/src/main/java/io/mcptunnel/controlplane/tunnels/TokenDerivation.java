package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.tunnel.TunnelToken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tunnel token values derived, never stored: the secret is HMAC-SHA256(server key, tunnel id, token
 * id). Revealing twice gives the same value; rotating (a new token id) gives a new one; the
 * database holds only the secret's SHA-256, which is what the edge checks.
 */
final class TokenDerivation {
  private static final String CONTEXT = "mcptunnel tunnel token v1";
  private final SecretKeySpec key;

  TokenDerivation(byte[] serverKey) {
    this.key = new SecretKeySpec(serverKey, "HmacSHA256");
  }

  TunnelToken token(String tunnelId, String tokenId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      // NUL separators: ids cannot contain NUL, so (tunnel, token) pairs never collide.
      String input = CONTEXT + '\0' + tunnelId + '\0' + tokenId;
      return TunnelToken.of(tunnelId, tokenId, mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
