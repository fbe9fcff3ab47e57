package io.mcptunnel.controlplane.federation;

import java.net.URI;

/** Where an issuer's signing keys come from (SPEC §4.2: {@code discovery}, {@code explicit_url}, {@code inline}). */
public sealed interface JwksSource {

  /** {@code <issuer_url>/.well-known/openid-configuration} names the {@code jwks_uri}. */
  record Discovery() implements JwksSource {}

  /** A fixed JWKS URL, for issuers without discovery. */
  record ExplicitUrl(URI url) implements JwksSource {
    public ExplicitUrl {
      FederationIssuer.requireHttpUrl("jwks_url", url);
    }
  }

  /** The JWKS document itself, pasted by an admin; never fetched, so never refreshed either. */
  record Inline(String jwksJson) implements JwksSource {
    public Inline {
      if (jwksJson == null || jwksJson.isBlank()) {
        throw new FederationConfigException("jwks: missing (expected: a JWKS JSON document)");
      }
    }
  }

  static JwksSource discovery() {
    return new Discovery();
  }
}
