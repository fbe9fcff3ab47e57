package io.mcptunnel.edge.registry;

import io.mcptunnel.common.McptunnelException;

/** The tunnel registry could not be read or is invalid; not retryable until the file is fixed. */
public final class RegistryException extends McptunnelException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
