package io.mcptunnel.controlplane.federation.jdbc;

import io.mcptunnel.controlplane.store.TestDatabase;

class JdbcAuthenticationHistoryPostgresTest extends JdbcAuthenticationHistoryContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
