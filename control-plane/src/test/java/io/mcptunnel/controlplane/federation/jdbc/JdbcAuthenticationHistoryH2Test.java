package io.mcptunnel.controlplane.federation.jdbc;

import io.mcptunnel.controlplane.store.TestDatabase;

class JdbcAuthenticationHistoryH2Test extends JdbcAuthenticationHistoryContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }
}
