package io.mcptunnel.proxy.config;

import io.mcptunnel.common.McptunnelException;

/** A configuration the proxy refuses to start with; the message names the field and what is expected. */
public final class ConfigException extends McptunnelException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
