package io.mcptunnel.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.util.List;

/**
 * Turns an HTTP/2 stream into a byte stream: DATA frames in, their payload out; bytes written
 * become DATA frames. Header frames pass through for the handler that owns the stream's setup.
 * The peer ending its side ends the stream here too; closing sends an empty end-of-stream DATA
 * frame first so bytes already queued are delivered rather than cut off by a reset.
 */
public final class StreamFrameCodec extends MessageToMessageCodec<Http2StreamFrame, ByteBuf> {
  private boolean ended;

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    out.add(new DefaultHttp2DataFrame(msg.retain(), false));
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out) {
    if (frame instanceof Http2DataFrame data) {
      if (data.content().isReadable()) {
        out.add(data.content().retain());
      }
      if (data.isEndStream()) {
        ctx.executor().execute(ctx::close);
      }
    } else {
      out.add(io.netty.util.ReferenceCountUtil.retain(frame));
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (!ended && ctx.channel().isActive()) {
      ended = true;
      ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
    }
    ctx.close(promise);
  }
}
