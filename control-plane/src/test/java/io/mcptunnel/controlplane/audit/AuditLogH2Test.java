package io.mcptunnel.controlplane.audit;

import io.mcptunnel.controlplane.store.TestDatabase;

class AuditLogH2Test extends AuditLogContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }
}
