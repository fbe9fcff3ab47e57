/**
 * The control plane (SPEC §4): tunnels, tokens and certificates, their store (embedded H2 by
 * default, PostgreSQL in production, Flyway migrations), the audit log, the workload token
 * exchange, and the administration of organizations, service accounts and federation. The data
 * path (proxy, connector, edge) never depends on this module.
 */
package io.mcptunnel.controlplane;
