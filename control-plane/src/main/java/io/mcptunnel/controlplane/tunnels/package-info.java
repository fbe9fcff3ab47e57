/**
 * The Tunnels API of SPEC §4.1 without HTTP: {@link io.mcptunnel.controlplane.tunnels.TunnelService}
 * and its records, errors that map 1:1 onto the API's error envelope, derived tunnel tokens and
 * the token check the edge asks. The SQL is {@code TunnelStore}'s alone.
 */
package io.mcptunnel.controlplane.tunnels;
