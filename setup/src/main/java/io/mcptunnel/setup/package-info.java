/**
 * Provisioning engine behind {@code mcptunnel setup} (SPEC §5): creates or attaches to a tunnel
 * through the Tunnels API (HTTP only, never the control-plane code), makes the tunnel CA and the
 * proxy's server certificate, and keeps them with the tunnel token in an {@link
 * io.mcptunnel.setup.Output} (a directory or a Kubernetes Secret).
 */
package io.mcptunnel.setup;
