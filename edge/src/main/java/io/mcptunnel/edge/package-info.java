/**
 * The edge: accepts connectors that dial out from private networks (token-authenticated, TLS 1.3,
 * HTTP/2 with the roles reversed) and opens streams on their connections for callers. It relays
 * only the ciphertext of the callers' inner TLS.
 */
package io.mcptunnel.edge;
