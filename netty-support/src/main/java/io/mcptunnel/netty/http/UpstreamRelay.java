package io.mcptunnel.netty.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * The handler on an upstream connection: hands the response to the exchange using the connection,
 * and while the connection is parked between exchanges, treats anything that arrives as the end
 * of it.
 */
public final class UpstreamRelay extends ChannelInboundHandlerAdapter {

  /** What an exchange hears from its upstream connection. */
  public interface Listener {
    void responseHead(HttpResponse response);

    void responseContent(HttpContent content);

    /** The upstream read that carried the last messages is complete. */
    void flushToCaller();

    void upstreamFailed(String reason);
  }

  private Listener exchange;
  private Runnable onIdleClose;

  public void attach(Listener e) {
    exchange = e;
    onIdleClose = null;
  }

  public void detach() {
    exchange = null;
  }

  /** What to do when the connection closes while parked. */
  public void onIdleClose(Runnable r) {
    onIdleClose = r;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Listener e = exchange;
    if (e == null) {
      // Nothing is owed on a parked connection: whatever arrives makes it unusable.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof HttpResponse r) {
      e.responseHead(r);
    }
    if (msg instanceof HttpContent c) {
      e.responseContent(c);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.flushToCaller();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.upstreamFailed("upstream closed the connection");
    } else if (onIdleClose != null) {
      onIdleClose.run();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (exchange != null) {
      exchange.upstreamFailed(String.valueOf(cause.getMessage()));
    }
    ctx.close();
  }
}
