/**
 * The control plane (SPEC §4): tunnels, tokens and certificates, their store (embedded H2 by
 * default, PostgreSQL in production, Flyway migrations), the audit log and the workload token
 * exchange. The data path (proxy, connector, edge) never depends on this module.
 */
package io.mcptunnel.controlplane;
