package io.mcptunnel.proxy;

import io.mcptunnel.netty.BinaryFrameCodec;
import io.mcptunnel.netty.http.HttpExchangeHandler;
import io.mcptunnel.proxy.policy.PolicyHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the WebSocket upgrade, then stacks the inner session: binary frames to bytes, a TLS
 * server with the certificate current at this moment, HTTP/1.1, and the exchange handler.
 */
final class SessionStarter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStarter.class);

  private final ProxyRuntime rt;
  private String remote = "";

  SessionStarter(ProxyRuntime rt) {
    this.rt = rt;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
      remote = a.getAddress().getHostAddress() + ":" + a.getPort();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest) {
      // A request that reached this point was not a WebSocket upgrade (or not a valid one).
      ReferenceCountUtil.release(msg);
      byte[] body = "this listener only accepts WebSocket upgrades carrying TLS\n".getBytes(StandardCharsets.UTF_8);
      DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(body));
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      r.headers().set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      if (rt.draining()) {
        ctx.close();
        return;
      }
      // From here the session reads only when the exchange handler asks: that is its backpressure.
      ctx.channel().config().setAutoRead(false);
      SslHandler ssl = rt.serverTls.context().newHandler(ctx.alloc());
      HttpExchangeHandler exchanges = new HttpExchangeHandler(
          new UpstreamConnections(rt, ctx.channel(), remote), remote);
      ctx.pipeline().addAfter(ctx.name(), "frames", new BinaryFrameCodec());
      ctx.pipeline().addAfter("frames", "tls", ssl);
      ctx.pipeline().addAfter("tls", "handshake", new HandshakeFailureLog(rt.metrics, remote));
      ctx.pipeline().addAfter("handshake", "http", new HttpServerCodec(4096, 65536, 65536));
      ctx.pipeline().addAfter("http", "idle", new IdleStateHandler(0, 0,
          rt.idleSessionTimeout.toMillis(), TimeUnit.MILLISECONDS));
      ctx.pipeline().addAfter("idle", "flow", new FlowControlHandler());
      String last = "flow";
      if (!rt.guards.isEmpty()) {
        ctx.pipeline().addAfter(last, "policies", new PolicyHandler(rt.routes, rt.guards, rt.metrics::policyRefused));
        last = "policies";
      }
      ctx.pipeline().addAfter(last, "exchanges", exchanges);
      rt.sessions.add(ctx.channel());
      rt.metrics.sessionOpened();
      ctx.channel().closeFuture().addListener(f -> rt.metrics.sessionClosed());
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.atDebug().addKeyValue("remote", remote).addKeyValue("reason", String.valueOf(cause.getMessage()))
        .log("session error");
    ctx.close();
  }
}
