package io.mcptunnel.controlplane.tunnels;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The edge feed contract on a real PostgreSQL. */
class TunnelStateFeedPostgresTest extends TunnelStateFeedContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
