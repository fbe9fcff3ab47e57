package io.mcptunnel.netty.http;

import io.netty.channel.Channel;

/**
 * An upstream HTTP/1.1 connection lent to one exchange. Its pipeline ends with an
 * {@link UpstreamRelay}, it reads only when asked (auto-read off), and it runs on the event loop
 * of the session that borrowed it.
 */
public interface UpstreamLease {
  Channel channel();

  /**
   * Gives the connection back exactly once. {@code reusable} says whether it may carry another
   * request; if not, the lender closes it.
   */
  void release(boolean reusable);

  /** A short name of where the connection goes, for logs. */
  String describe();

  /**
   * Whether the connection already carried an exchange and sat idle before this one: the upstream
   * may have closed it just as it was lent, which the handler answers by sending a replayable
   * request once more on a new connection.
   */
  default boolean reused() {
    return false;
  }
}
