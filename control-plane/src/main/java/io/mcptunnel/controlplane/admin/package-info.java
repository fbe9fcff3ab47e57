/**
 * Administration of tenancy and federation (SPEC §4.2, §4.3): organizations with their tunnel
 * limit, workspaces, service accounts and their workspace membership, federation issuers and
 * rules, and the authentication history. Every change is stored with its audit entry in one
 * transaction. No HTTP here: errors carry an {@code ErrorKind} the API layer maps 1:1.
 */
package io.mcptunnel.controlplane.admin;
