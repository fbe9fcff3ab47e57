package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The Tunnels contract on the embedded default database. */
class TunnelServiceH2Test extends TunnelServiceContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }
}
