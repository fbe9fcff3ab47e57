package io.mcptunnel.sample.oauth;

import java.util.List;

/** What {@link AccessTokenVerifier} decided about one bearer token. */
public sealed interface TokenVerdict {
  /** Valid, for this resource, with every required scope. */
  record Accepted(String subject) implements TokenVerdict {}

  /** Not acceptable at all: 401 invalid_token. */
  record Rejected(TokenRejection reason) implements TokenVerdict {}

  /** Valid but lacking scopes: 403 insufficient_scope. */
  record InsufficientScope(String subject, List<String> missing) implements TokenVerdict {}

  /** The issuer's keys could not be fetched: nobody can tell whether the token is good, so 503. */
  record KeysUnavailable() implements TokenVerdict {}
}
