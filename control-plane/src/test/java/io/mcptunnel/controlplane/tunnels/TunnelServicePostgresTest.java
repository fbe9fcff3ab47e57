package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The Tunnels contract on a real PostgreSQL (a throwaway cluster of the installed binaries). */
class TunnelServicePostgresTest extends TunnelServiceContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
