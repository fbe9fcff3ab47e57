package io.mcptunnel.ops.monitor;

import io.mcptunnel.common.McptunnelException;

/** A monitor input or setting that cannot be used; the message names it and what is expected. */
public final class MonitorException extends McptunnelException {
  public MonitorException(String message) {
    super(message);
  }
}
