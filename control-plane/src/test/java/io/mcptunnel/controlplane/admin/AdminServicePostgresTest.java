package io.mcptunnel.controlplane.admin;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The admin contract on a real PostgreSQL (a throwaway cluster of the installed binaries). */
class AdminServicePostgresTest extends AdminServiceContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
