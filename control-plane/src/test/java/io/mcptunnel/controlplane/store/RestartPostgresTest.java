package io.mcptunnel.controlplane.store;

class RestartPostgresTest extends RestartContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
