package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The admin API on the embedded default database. */
class AdminApiH2Test extends AdminApiContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }
}
