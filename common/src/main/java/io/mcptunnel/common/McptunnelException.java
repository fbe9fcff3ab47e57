package io.mcptunnel.common;

/**
 * The one unchecked base type of the project. Subtypes are named after the step that failed and
 * say whether trying again can help, so retry loops ask {@link #retryable()} instead of matching
 * message text.
 */
public class McptunnelException extends RuntimeException {
  private final boolean retryable;

  public McptunnelException(String message) {
    this(message, false, null);
  }

  public McptunnelException(String message, Throwable cause) {
    this(message, false, cause);
  }

  protected McptunnelException(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** Whether repeating the same operation later may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
