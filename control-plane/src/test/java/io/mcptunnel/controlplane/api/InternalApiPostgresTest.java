package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The internal API on a real PostgreSQL. */
class InternalApiPostgresTest extends InternalApiContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
