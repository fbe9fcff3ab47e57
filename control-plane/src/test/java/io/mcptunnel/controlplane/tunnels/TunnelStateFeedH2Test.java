package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The edge feed contract on the embedded default database. */
class TunnelStateFeedH2Test extends TunnelStateFeedContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }
}
