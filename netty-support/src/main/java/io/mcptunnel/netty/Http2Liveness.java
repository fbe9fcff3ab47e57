package io.mcptunnel.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a dead peer on a long-lived HTTP/2 connection even when TCP does not: a peer whose host
 * vanished, or a NAT or firewall that dropped the flow, leaves a half-open connection on which
 * writes keep succeeding for many minutes. Once {@code interval} has passed without a single byte
 * read, an HTTP/2 {@code PING} goes out, which a live peer acknowledges at once; if another
 * {@code interval} passes with nothing read, the connection is closed, which fails its streams and
 * lets the owner act (the edge stops routing to it, the connector reconnects). Traffic of any kind
 * counts as a sign of life, so a busy connection is never pinged.
 *
 * <p>Install it first in the pipeline, before TLS: it then counts every byte read, and its close
 * goes straight to the socket. Closing through the pipeline would wait on a peer that is not
 * listening: the TLS {@code close_notify} for its flush timeout, the HTTP/2 codec's graceful
 * shutdown for the open streams to end. The {@code PING} is written on the channel, so it passes
 * the whole pipeline, HTTP/2 codec and TLS included.
 */
public final class Http2Liveness extends IdleStateHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Http2Liveness.class);
  /** PING after 10 s of silence, close after 20 s: generous for a busy peer, short for a dead one. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

  private final String peer;
  private final Duration interval;

  /**
   * @param interval how long a silent connection waits before a {@code PING}, and then for any answer
   * @param peer what the other side is, for the log line ({@code "connector"}, {@code "edge"})
   */
  public Http2Liveness(Duration interval, String peer) {
    super(false, checked(interval).toNanos(), 0, 0, TimeUnit.NANOSECONDS);
    this.interval = interval;
    this.peer = peer;
  }

  private static Duration checked(Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the liveness interval must be positive, got " + interval);
    }
    return interval;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    if (evt.state() != IdleState.READER_IDLE) {
      return;
    }
    if (evt.isFirst()) {
      ctx.channel().writeAndFlush(new DefaultHttp2PingFrame(System.nanoTime()));
      return;
    }
    LOG.atWarn().addKeyValue("peer", peer).addKeyValue("remote", String.valueOf(ctx.channel().remoteAddress()))
        .addKeyValue("silent_for", interval.multipliedBy(2).toString())
        .log("connection unresponsive, closing it");
    ctx.close();
  }
}
