package io.mcptunnel.connector;

import io.mcptunnel.netty.Transports;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An edge-like peer for connector tests (the real edge depends on the connector, not the other way):
 * TLS, the HTTP/1.1 upgrade with any token admitted and recorded, then HTTP/2 as the client. It
 * records GOAWAYs it receives and can open a stream on a connection.
 */
final class TestEdge implements AutoCloseable {
  final List<String> tokens = new CopyOnWriteArrayList<>();
  final List<Channel> connections = new CopyOnWriteArrayList<>();
  final AtomicInteger goAways = new AtomicInteger();
  private final Channel server;

  private TestEdge(Channel server) {
    this.server = server;
  }

  static TestEdge start(EventLoopGroup group, SslContext tls, InetSocketAddress address) throws InterruptedException {
    TestEdge[] self = new TestEdge[1];
    Channel server = new ServerBootstrap().group(group).channel(Transports.serverChannel())
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            HttpServerCodec http = new HttpServerCodec();
            c.pipeline().addLast(tls.newHandler(c.alloc()), http, new HttpServerUpgradeHandler(http,
                p -> TunnelProtocol.UPGRADE.contentEquals(p) ? self[0].new Upgrade() : null, 8192));
          }
        }).bind(address).sync().channel();
    self[0] = new TestEdge(server);
    return self[0];
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Opens {@code POST /v1/stream} on a connection; the connector's response headers arrive on {@code responses}. */
  Http2StreamChannel openStream(Channel connection, BlockingQueue<Http2HeadersFrame> responses) throws Exception {
    Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Http2HeadersFrame h) {
          responses.add(h);
        }
        ReferenceCountUtil.release(msg);
      }
    }).open().sync().getNow();
    stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST")
        .path(TunnelProtocol.STREAM_PATH).scheme("https").authority("mcp.tunnel.test"), false)).sync();
    return stream;
  }

  static BlockingQueue<Http2HeadersFrame> queue() {
    return new LinkedBlockingQueue<>();
  }

  /** Stops listening; the open connections stay unless {@link #dropConnections()} is called too. */
  void stopListening() {
    server.close().syncUninterruptibly();
  }

  void dropConnections() {
    connections.forEach(c -> c.close().syncUninterruptibly());
  }

  @Override
  public void close() {
    stopListening();
    dropConnections();
  }

  private final class Upgrade implements HttpServerUpgradeHandler.UpgradeCodec {
    @Override
    public Collection<CharSequence> requiredUpgradeHeaders() {
      return List.of();
    }

    @Override
    public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request, HttpHeaders headers) {
      tokens.add(request.headers().get(HttpHeaderNames.AUTHORIZATION, "").replaceFirst("^Bearer ", ""));
      return true;
    }

    @Override
    public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
      ctx.pipeline().addAfter(ctx.name(), "upgraded", new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext c, Object evt) {
          if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent e) {
            e.release(); // describes an h2c upgrade, which this is not
            return;
          }
          c.fireUserEventTriggered(evt);
        }
      });
      ctx.pipeline().addAfter("upgraded", "h2", Http2FrameCodecBuilder.forClient().build());
      ctx.pipeline().addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel ch) {
          ch.close();
        }
      }));
      ctx.pipeline().addAfter("streams", "goaway", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
          if (msg instanceof Http2GoAwayFrame) {
            goAways.incrementAndGet();
          }
          ReferenceCountUtil.release(msg);
        }
      });
      connections.add(ctx.channel());
      ctx.channel().closeFuture().addListener(f -> connections.remove(ctx.channel()));
    }
  }
}
