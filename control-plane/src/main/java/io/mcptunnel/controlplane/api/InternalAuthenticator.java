package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.internal.InternalClient;
import io.mcptunnel.controlplane.internal.InternalClientService;
import io.mcptunnel.controlplane.internal.InternalRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer <internal credential>} → {@link InternalClient} of the role a path
 * needs. Every refusal of the credential is the same 401 (which check failed goes to the log, the
 * credential nowhere); a good credential of the other role is a 403.
 */
final class InternalAuthenticator {
  static final String INVALID = "invalid internal credential";
  private static final Logger LOG = LoggerFactory.getLogger(InternalAuthenticator.class);
  private static final String SCHEME = "bearer ";

  private final InternalClientService clients;

  InternalAuthenticator(InternalClientService clients) {
    this.clients = clients;
  }

  InternalClient authenticate(String authorization, String sourceAddress, InternalRole needed) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      LOG.info("internal credential refused source_address={} reason=missing", sourceAddress);
      throw new ApiError(401, ApiError.AUTHENTICATION, INVALID);
    }
    InternalClientService.Verdict verdict = clients.authenticate(authorization.substring(SCHEME.length()).trim());
    if (!verdict.accepted()) {
      LOG.info("internal credential refused source_address={} reason={}", sourceAddress, verdict.refusal());
      throw new ApiError(401, ApiError.AUTHENTICATION, INVALID);
    }
    InternalClient client = verdict.client();
    if (client.role() != needed) {
      LOG.info("internal client refused client_id={} role={} needed={}", client.id(), client.role().wireName(),
          needed.wireName());
      throw new ApiError(403, ApiError.PERMISSION,
          "this endpoint needs an internal client with role " + needed.wireName());
    }
    return client;
  }
}
