package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.admin.Operator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Authorization: Bearer <admin token>} → {@link Operator}. Compares SHA-256 digests with
 * {@link MessageDigest#isEqual} (constant time, independent of the token's length); a missing or
 * wrong token is a 401 that never echoes what was sent.
 */
final class AdminAuthenticator {
  static final String PRINCIPAL = "server-operator";
  private static final Logger LOG = LoggerFactory.getLogger(AdminAuthenticator.class);
  private static final String SCHEME = "bearer ";

  private final byte[] expected;

  AdminAuthenticator(String adminToken) {
    this.expected = digest(adminToken);
  }

  Operator authenticate(String authorization, String sourceAddress) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new ApiError(401, ApiError.AUTHENTICATION,
          "missing bearer token (expected: Authorization: Bearer <admin token>)");
    }
    if (!MessageDigest.isEqual(expected, digest(authorization.substring(SCHEME.length()).trim()))) {
      LOG.info("admin token refused source_address={}", sourceAddress);
      throw new ApiError(401, ApiError.AUTHENTICATION, "invalid admin token");
    }
    return new Operator(PRINCIPAL, sourceAddress);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
