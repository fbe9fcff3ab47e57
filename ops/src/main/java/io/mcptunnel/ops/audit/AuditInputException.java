package io.mcptunnel.ops.audit;

import io.mcptunnel.common.McptunnelException;

/** An input the audit was pointed at cannot be read or parsed (a usage problem, not a finding). */
public final class AuditInputException extends McptunnelException {
  public AuditInputException(String message) {
    super(message);
  }
}
