package io.mcptunnel.proxy.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code require_authorization}: is there exactly one {@code Authorization: Bearer <token>}? */
public final class Authorization {
  private Authorization() {}

  /** Why the request carries no usable Bearer token, or empty when it does. Never names the value. */
  public static Optional<String> refusal(List<String> authorizationHeaders) {
    if (authorizationHeaders.isEmpty()) {
      return Optional.of("missing Authorization header");
    }
    if (authorizationHeaders.size() > 1) {
      return Optional.of("more than one Authorization header");
    }
    String value = authorizationHeaders.get(0).strip();
    int space = value.indexOf(' ');
    String scheme = space < 0 ? value : value.substring(0, space);
    // The auth scheme is case-insensitive (RFC 9110 §11.1).
    if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
      return Optional.of("Authorization is not a Bearer token");
    }
    if (space < 0 || value.substring(space + 1).isBlank()) {
      return Optional.of("empty Bearer token");
    }
    return Optional.empty();
  }
}
