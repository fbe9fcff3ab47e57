package io.mcptunnel.controlplane.federation;

/** One refused check: the cause and an admin-facing detail that never contains the assertion. */
record Rejection(FailureCause cause, String detail) {
  static Rejection of(FailureCause cause, String detail) {
    return new Rejection(cause, detail);
  }
}
