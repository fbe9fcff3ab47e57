package io.mcptunnel.edge;

import io.mcptunnel.edge.registry.ConnectorAdmission;
import io.mcptunnel.edge.registry.TunnelRegistry;
import io.mcptunnel.netty.Http2Liveness;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's connector port: TLS, then one HTTP/1.1 upgrade request whose bearer token decides
 * admission ({@link ConnectorAdmission}); an admitted connection turns into HTTP/2 with the edge
 * as the client, registered in {@link ConnectorSessions}. A refusal is answered with its reason
 * and the connection closed.
 */
public final class ConnectorListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorListener.class);
  private static final AttributeKey<ConnectorAdmission.Admission> ADMISSION = AttributeKey.valueOf("mcptunnel.admission");

  private final Channel server;

  private ConnectorListener(Channel server) {
    this.server = server;
  }

  public static ConnectorListener bind(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
      SslContext tls, TunnelRegistry registry, ConnectorSessions sessions) throws InterruptedException {
    return bind(boss, workers, address, tls, registry, sessions, Http2Liveness.DEFAULT_INTERVAL);
  }

  /**
   * As above, with the liveness interval of admitted connections: one that has sent nothing for
   * {@code liveness} is PINGed, and closed if it stays silent for another {@code liveness}, so a
   * connector that vanished without closing its connection stops getting streams.
   */
  public static ConnectorListener bind(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
      SslContext tls, TunnelRegistry registry, ConnectorSessions sessions, Duration liveness)
      throws InterruptedException {
    Channel ch = Transports.server(boss, workers)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            HttpServerCodec http = new HttpServerCodec();
            c.pipeline().addLast("tls", tls.newHandler(c.alloc()));
            c.pipeline().addLast("http", http);
            c.pipeline().addLast("upgrade", new HttpServerUpgradeHandler(http, protocol ->
                TunnelProtocol.UPGRADE.contentEquals(protocol) ? new ReverseH2(registry, sessions, liveness) : null,
                8192));
            c.pipeline().addLast("refusal", new Refusal());
          }
        })
        .bind(address).sync().channel();
    return new ConnectorListener(ch);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }

  /** Admits by token, then switches the connection to HTTP/2 with the edge as client. */
  private record ReverseH2(TunnelRegistry registry, ConnectorSessions sessions, Duration liveness)
      implements HttpServerUpgradeHandler.UpgradeCodec {
    @Override
    public Collection<CharSequence> requiredUpgradeHeaders() {
      return List.of();
    }

    @Override
    public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request, HttpHeaders headers) {
      String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
      String token = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : "";
      ConnectorAdmission.Admission a = ConnectorAdmission.admit(token, registry);
      ctx.channel().attr(ADMISSION).set(a);
      return a.accepted();
    }

    @Override
    public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
      ConnectorAdmission.Admission a = ctx.channel().attr(ADMISSION).get();
      // The upgrade event describes an h2c upgrade to Http2FrameCodec, which this is not: keep it away.
      ctx.pipeline().addAfter(ctx.name(), "upgraded", new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext c, Object evt) {
          if (evt instanceof HttpServerUpgradeHandler.UpgradeEvent e) {
            e.release();
            return;
          }
          c.fireUserEventTriggered(evt);
        }
      });
      ctx.pipeline().addAfter("upgraded", "h2", Http2FrameCodecBuilder.forClient().build());
      ctx.pipeline().addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
        @Override
        protected void initChannel(Http2StreamChannel ch) {
          ch.close(); // a connector never opens streams toward the edge
        }
      }));
      ctx.pipeline().addAfter("streams", "goaway", new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext c, Object msg) {
          if (msg instanceof Http2GoAwayFrame) {
            // The connector is draining: no new streams on this connection, open ones finish.
            c.channel().attr(ConnectorSessions.Draining.KEY).set(Boolean.TRUE);
            LOG.atInfo().addKeyValue("tunnel", a.tunnel().id()).log("connector draining");
          }
          ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
          // Typically the connector's socket reset; the close ends the connection's streams.
          LOG.atDebug().addKeyValue("tunnel", a.tunnel().id()).addKeyValue("reason", String.valueOf(cause))
              .log("connector connection failed");
          c.close();
        }
      });
      ctx.pipeline().remove("refusal");
      ctx.pipeline().addFirst("liveness", new Http2Liveness(liveness, "connector"));
      // Admission accepted exactly the current token, so its id is the one that admitted us.
      String tokenId = a.tunnel().currentTokenId();
      sessions.add(a.tunnel().id(), tokenId, ctx.channel());
      // An archive or a severing rotation that landed between admission and here must still sever
      // this connection (the registry's listener may have run before it was registered).
      if (registry.byId(a.tunnel().id()).map(t -> t.severs(tokenId)).orElse(true)) {
        ctx.close();
        return;
      }
      String connectorId = request.headers().get(TunnelProtocol.CONNECTOR_ID_HEADER, "");
      String remote = String.valueOf(ctx.channel().remoteAddress());
      LOG.atInfo().addKeyValue("tunnel", a.tunnel().id()).addKeyValue("connector_id", connectorId)
          .addKeyValue("remote", remote).log("connector registered");
      ctx.channel().closeFuture().addListener(f -> LOG.atInfo().addKeyValue("tunnel", a.tunnel().id())
          .addKeyValue("connector_id", connectorId).addKeyValue("remote", remote).log("connector disconnected"));
    }
  }

  /** A request that was not admitted: answer with the reason, never echoing the token. */
  private static final class Refusal extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
      ConnectorAdmission.Admission a = ctx.channel().attr(ADMISSION).get();
      int status = a == null ? 400 : a.status();
      String reason = a == null ? "expected an upgrade to " + TunnelProtocol.UPGRADE : a.reason();
      LOG.atWarn().addKeyValue("remote", String.valueOf(ctx.channel().remoteAddress()))
          .addKeyValue("tunnel", a == null || a.tunnel() == null ? "" : a.tunnel().id())
          .addKeyValue("reason", reason).log("connector refused");
      byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
      DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      r.headers().set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
