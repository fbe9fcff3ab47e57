/** Organizations and workspaces, as far as tunnels need them: ids, membership, the tunnel limit. */
package io.mcptunnel.controlplane.tenancy;
