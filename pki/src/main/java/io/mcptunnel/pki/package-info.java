/**
 * X.509 material for the tunnel's inner TLS: reading and writing PEM, generating keys, issuing the
 * tunnel CA and the proxy's server certificate (SPEC §5, setup), and the certificate rules of SPEC
 * §4.1 that the API, setup, {@code mcptunnel audit} and the caller all apply the same way.
 *
 * <p>Everything here is pure and offline: no network, no global JCA provider registration
 * (BouncyCastle is used as a private provider instance), and no key material in messages.
 */
package io.mcptunnel.pki;
