package io.mcptunnel.sample.oauth;

/**
 * The {@code WWW-Authenticate} values this server sends (RFC 6750 §3, RFC 9728 §5.1, MCP
 * authorization 2025-11-25). Every challenge names the metadata URL, so a client can discover the
 * authorization server from any refusal; {@code scope} tells it what to ask for.
 */
public final class BearerChallenge {
  private BearerChallenge() {}

  /** No token at all: no error code (RFC 6750 §3.1). */
  public static String missingToken(OAuthResourceConfig config) {
    return "Bearer resource_metadata=\"" + config.metadataUrl() + "\", scope=\"" + scopes(config) + "\"";
  }

  /** A token was sent but is not acceptable here. */
  public static String invalidToken(OAuthResourceConfig config, TokenRejection why) {
    return "Bearer error=\"invalid_token\", error_description=\"" + why.description() + "\", resource_metadata=\""
        + config.metadataUrl() + "\", scope=\"" + scopes(config) + "\"";
  }

  /** A valid token without every required scope; answered with 403. */
  public static String insufficientScope(OAuthResourceConfig config) {
    return "Bearer error=\"insufficient_scope\", scope=\"" + scopes(config) + "\", resource_metadata=\""
        + config.metadataUrl() + "\"";
  }

  private static String scopes(OAuthResourceConfig config) {
    return String.join(" ", config.requiredScopes());
  }
}
