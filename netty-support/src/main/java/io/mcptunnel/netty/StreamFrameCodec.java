package io.mcptunnel.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns an HTTP/2 stream into a byte stream: DATA frames in, their payload out; bytes written
 * become DATA frames. Header frames pass through for the handler that owns the stream's setup.
 *
 * <p>A stream ends without a reset in the normal case. The peer ending its side ends the stream
 * here too: this side answers with its own end-of-stream and closes. Closing this side first sends
 * an empty end-of-stream DATA frame (so bytes already queued are delivered rather than cut off) and
 * then waits, still reading, for the peer's end-of-stream before the channel closes; only when none
 * comes within {@link #CLOSE_WAIT_MILLIS} is the stream reset. Resetting on every close would count
 * against the peer's rapid-reset guard (Netty's HTTP/2 servers drop a connection after 200
 * {@code RST_STREAM} frames in 30 s), so a busy caller, or the edge closing streams toward a
 * connector, would have its whole connection torn down after a few hundred short sessions.
 */
public final class StreamFrameCodec extends MessageToMessageCodec<Http2StreamFrame, ByteBuf> {
  /** How long a close waits for the peer's end-of-stream before resetting the stream. */
  public static final long CLOSE_WAIT_MILLIS = 5_000;

  private boolean ended;
  private boolean peerEnded;
  private boolean waiting;

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    out.add(new DefaultHttp2DataFrame(msg.retain(), false));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) {
    boolean endStream = false;
    if (frame instanceof Http2DataFrame data) {
      if (data.content().isReadable()) {
        out.add(data.content().retain());
      }
      endStream = data.isEndStream();
    } else {
      out.add(io.netty.util.ReferenceCountUtil.retain(frame));
      endStream = frame instanceof Http2HeadersFrame h && h.isEndStream();
    }
    if (endStream) {
      peerEnded = true;
      ctx.executor().execute(() -> close(ctx, ctx.newPromise()));
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    Channel ch = ctx.channel();
    if (!ended && ch.isActive()) {
      ended = true;
      ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
    }
    if (peerEnded || !ch.isActive()) {
      ctx.close(promise); // both sides ended: the stream closes without a reset
      return;
    }
    // Half-closed: finish when the peer ends its side (decode closes again) or the wait runs out.
    if (!promise.isVoid()) {
      ch.closeFuture().addListener(f -> promise.trySuccess());
    }
    if (!waiting) {
      waiting = true;
      ScheduledFuture<?> timeout = ctx.executor().schedule(() -> {
        ctx.close();
      }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      ch.closeFuture().addListener((ChannelFutureListener) f -> timeout.cancel(false));
      // Keep reading (relays read on demand and may have stopped) so the peer's end-of-stream is seen.
      ch.config().setAutoRead(true);
      ctx.read();
    }
  }
}
