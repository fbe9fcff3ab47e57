package io.mcptunnel.controlplane.federation;

import java.util.List;

/** Where token-exchange attempts are kept for the organization's admins (SPEC §4.2). */
public interface AuthenticationHistory {
  void record(AuthenticationRecord record);

  /** The organization's most recent records, newest first. */
  List<AuthenticationRecord> recent(String organizationId, int limit);
}
