/**
 * Internal clients: machine identities (edges, callers) the operator registers, whose credential
 * ({@code mcpti1.<id>.<secret>}) reads the internal API. Only the secret's SHA-256 is stored.
 */
package io.mcptunnel.controlplane.internal;
