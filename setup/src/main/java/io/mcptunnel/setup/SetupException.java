package io.mcptunnel.setup;

import io.mcptunnel.common.McptunnelException;

/** A setup step failed; the message is one line for the operator and never holds a secret. */
public class SetupException extends McptunnelException {
  public SetupException(String message) {
    super(message);
  }

  public SetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
