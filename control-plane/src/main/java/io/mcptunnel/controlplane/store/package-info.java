/**
 * The control plane's database: an embedded H2 file by default or PostgreSQL by JDBC URL, the
 * versioned migrations in {@code db/migration}, and transactions. No domain logic lives here.
 */
package io.mcptunnel.controlplane.store;
