package io.mcptunnel.controlplane.admin;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The admin contract on the embedded default database. */
class AdminServiceH2Test extends AdminServiceContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }
}
