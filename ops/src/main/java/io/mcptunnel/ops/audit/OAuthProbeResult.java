package io.mcptunnel.ops.audit;

/**
 * What an unauthenticated {@code initialize} to one upstream showed. Exactly one stage is the
 * last reached: refused by the egress policy, unreachable, answered, and when answered 401 with
 * {@code resource_metadata}, the metadata's {@code resource} or why it could not be read.
 */
record OAuthProbeResult(
    String refused,
    String unreachable,
    int status,
    String wwwAuthenticate,
    String metadataUrl,
    String metadataError,
    String resource) {

  static OAuthProbeResult refused(String message) {
    return new OAuthProbeResult(message, null, 0, null, null, null, null);
  }

  static OAuthProbeResult unreachable(String reason) {
    return new OAuthProbeResult(null, reason, 0, null, null, null, null);
  }

  static OAuthProbeResult answered(int status, String wwwAuthenticate) {
    return new OAuthProbeResult(null, null, status, wwwAuthenticate, null, null, null);
  }

  OAuthProbeResult withMetadata(String url, String error, String resource) {
    return new OAuthProbeResult(refused, unreachable, status, wwwAuthenticate, url, error, resource);
  }

  /** One line for the inventory. */
  String describe() {
    if (refused != null) {
      return "not probed: " + refused;
    }
    if (unreachable != null) {
      return "could not probe: " + unreachable;
    }
    return status + (wwwAuthenticate == null ? " without WWW-Authenticate" : ", WWW-Authenticate: " + wwwAuthenticate)
        + (resource != null ? "; metadata resource " + resource : "")
        + (metadataError != null ? "; metadata: " + metadataError : "");
  }
}
