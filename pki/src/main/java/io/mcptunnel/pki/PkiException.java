package io.mcptunnel.pki;

import io.mcptunnel.common.McptunnelException;

/** A key or certificate could not be read, written or created; the message names what and why. */
public class PkiException extends McptunnelException {

  public PkiException(String message) {
    super(message);
  }

  public PkiException(String message, Throwable cause) {
    super(message, cause);
  }
}
