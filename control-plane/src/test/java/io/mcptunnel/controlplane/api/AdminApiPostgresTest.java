package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The admin API on a real PostgreSQL. */
class AdminApiPostgresTest extends AdminApiContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
