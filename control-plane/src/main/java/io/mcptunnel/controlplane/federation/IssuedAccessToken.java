package io.mcptunnel.controlplane.federation;

/** A freshly minted access token and its claims; {@link #toString()} never shows the token. */
public record IssuedAccessToken(String token, AccessTokenClaims claims) {
  @Override
  public String toString() {
    return "IssuedAccessToken[token=<redacted>, claims=" + claims + "]";
  }
}
