package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.store.TestDatabase;

/** The internal API on the embedded default database. */
class InternalApiH2Test extends InternalApiContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }
}
