package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.federation.AccessTokenClaims;
import io.mcptunnel.controlplane.federation.AccessTokenVerifier;
import io.mcptunnel.controlplane.federation.InvalidAccessTokenException;
import io.mcptunnel.controlplane.tunnels.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer <access token>} → {@link Actor}. A missing or refused token is a
 * 401 whose message does not say why (the reason goes to the log); a valid token without
 * {@code workspace:manage_tunnels} is a 403 (SPEC §4.2).
 */
final class BearerAuthenticator {
  static final String MANAGE_TUNNELS = "workspace:manage_tunnels";
  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthenticator.class);
  private static final String SCHEME = "bearer ";

  private final AccessTokenVerifier verifier;

  BearerAuthenticator(AccessTokenVerifier verifier) {
    this.verifier = verifier;
  }

  Actor authenticate(String authorization, String sourceAddress) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new ApiError(401, ApiError.AUTHENTICATION,
          "missing bearer token (expected: Authorization: Bearer <access token>)");
    }
    AccessTokenClaims claims;
    try {
      claims = verifier.verify(authorization.substring(SCHEME.length()).trim());
    } catch (InvalidAccessTokenException e) {
      // The message names the failed check, never the token.
      LOG.info("bearer token refused source_address={} reason={}", sourceAddress, e.getMessage());
      throw new ApiError(401, ApiError.AUTHENTICATION, "invalid bearer token");
    }
    if (!claims.hasScope(MANAGE_TUNNELS)) {
      LOG.info("bearer token lacks scope service_account_id={} scope={}", claims.serviceAccountId(),
          claims.scope());
      throw new ApiError(403, ApiError.PERMISSION, "token lacks scope " + MANAGE_TUNNELS);
    }
    return new Actor(claims.organizationId(), claims.workspaceId(), claims.serviceAccountId(),
        sourceAddress);
  }
}
