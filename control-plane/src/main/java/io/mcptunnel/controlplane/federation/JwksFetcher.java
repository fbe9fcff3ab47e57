package io.mcptunnel.controlplane.federation;

import com.nimbusds.jose.jwk.JWKSet;

/** Obtains the current public keys of an issuer from its {@link JwksSource}. */
public interface JwksFetcher {
  /** @throws JwksUnavailableException when the keys cannot be obtained */
  JWKSet fetch(FederationIssuer issuer);
}
