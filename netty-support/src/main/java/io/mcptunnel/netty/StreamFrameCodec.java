package io.mcptunnel.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns an HTTP/2 stream into a byte stream: DATA frames in, their payload out; bytes written
 * become DATA frames. Header frames pass through for the handler that owns the stream's setup.
 *
 * <p>Closing ends the stream the way a TCP close would, not with a reset. The peer ending its side
 * (END_STREAM) closes the stream here, after this side has ended too. Closing first sends
 * END_STREAM, so bytes already queued are delivered, and then waits for the peer's END_STREAM
 * (what it sends back at once, see above) before the stream is gone, reading and dropping whatever
 * still arrives. Only a peer that has not ended its side within {@link #LINGER} gets an
 * {@code RST_STREAM}. A stream closed before the peer ended it would otherwise be reset every
 * time: that can cut off queued bytes, and a peer counting resets as an attack (Netty's HTTP/2
 * servers allow 200 in 30 seconds, then close the connection) would drop a busy tunnel connection.
 */
public final class StreamFrameCodec extends MessageToMessageCodec<Http2StreamFrame, ByteBuf> {
  /** How long a closed stream waits for the peer's END_STREAM before resetting the stream. */
  public static final Duration LINGER = Duration.ofSeconds(5);

  private boolean ended;
  private boolean peerEnded;
  private boolean closing;

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (ended && msg instanceof ByteBuf) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(new ClosedChannelException());
      return;
    }
    super.write(ctx, msg, promise);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    out.add(new DefaultHttp2DataFrame(msg.retain(), false));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) {
    if (frame instanceof Http2DataFrame data) {
      if (data.content().isReadable() && !closing) {
        out.add(data.content().retain());
      }
      if (data.isEndStream()) {
        peerEnded = true;
        // Through the whole pipeline, so this handler's close ends this side before the stream goes.
        ctx.executor().execute(() -> ctx.channel().close());
      }
    } else {
      peerEnded |= frame instanceof Http2HeadersFrame h && h.isEndStream();
      out.add(ReferenceCountUtil.retain(frame));
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (!ctx.channel().isActive()) {
      ctx.close(promise);
      return;
    }
    if (!ended) {
      ended = true;
      ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
    }
    if (peerEnded) {
      ctx.close(promise); // both sides ended: the stream closes without a reset
      return;
    }
    ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
    if (!closing) {
      closing = true;
      // Keep reading, dropping the data, to see the peer's END_STREAM; the stream then closes by itself.
      ctx.channel().config().setAutoRead(true);
      ctx.read();
      Runnable reset = () -> ctx.close(); // from here, past this handler: a reset
      ScheduledFuture<?> timer = ctx.executor().schedule(reset, LINGER.toMillis(), TimeUnit.MILLISECONDS);
      ctx.channel().closeFuture().addListener(f -> timer.cancel(false));
    }
  }
}
