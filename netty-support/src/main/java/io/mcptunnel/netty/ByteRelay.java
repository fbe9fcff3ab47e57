package io.mcptunnel.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays whatever one channel reads to another, with backpressure: both channels read only on
 * demand, and the next read happens once the previous message was written to the peer. When either
 * side closes, the other is closed after its pending writes. Install one on each side with
 * {@link #join(Channel, Channel)}.
 */
public final class ByteRelay extends ChannelInboundHandlerAdapter {
  private final Channel peer;

  private ByteRelay(Channel peer) {
    this.peer = peer;
  }

  /** Joins two channels whose pipelines already turn their traffic into messages for each other. */
  public static void join(Channel a, Channel b) {
    a.config().setAutoRead(false);
    b.config().setAutoRead(false);
    a.pipeline().addLast("relay", new ByteRelay(b));
    b.pipeline().addLast("relay", new ByteRelay(a));
    a.read();
    b.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!peer.isActive()) {
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    peer.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        ctx.channel().read();
      } else {
        ctx.close();
      }
    });
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // A read that produced no message (e.g. a partial frame) must not stall the relay.
    if (!ctx.channel().config().isAutoRead()) {
      ctx.channel().read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Channels.closeOnFlush(peer);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
