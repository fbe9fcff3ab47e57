package io.mcptunnel.controlplane.audit;

import io.mcptunnel.controlplane.store.TestDatabase;

class AuditLogPostgresTest extends AuditLogContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.POSTGRES;
  }
}
