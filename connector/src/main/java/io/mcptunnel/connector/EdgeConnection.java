package io.mcptunnel.connector;

import io.mcptunnel.netty.Http2Liveness;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpClientUpgradeHandler;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to join an edge: TLS to the edge's connector port, an HTTP/1.1 upgrade request
 * carrying the tunnel token, then HTTP/2 with this side as the server for the streams the edge
 * opens. Completes with the live connection, or fails with {@link RegistrationRejectedException}
 * carrying the edge's reason. Knows nothing of retries (the supervisor's concern).
 */
public final class EdgeConnection {
  private final Channel channel;
  private final String connectorId;

  private EdgeConnection(Channel channel, String connectorId) {
    this.channel = channel;
    this.connectorId = connectorId;
  }

  public Channel channel() {
    return channel;
  }

  public String connectorId() {
    return connectorId;
  }

  public static CompletableFuture<EdgeConnection> connect(EventLoopGroup group, InetSocketAddress edge,
      String edgeServerName, SslContext tls, String token, URI origin, ConnectorMetrics metrics) {
    return connect(group, edge, edgeServerName, tls, token, origin, null, metrics);
  }

  /** As above; {@code originTls} (null for a ws:// origin) secures the WebSocket to a wss:// origin. */
  public static CompletableFuture<EdgeConnection> connect(EventLoopGroup group, InetSocketAddress edge,
      String edgeServerName, SslContext tls, String token, URI origin, SslContext originTls, ConnectorMetrics metrics) {
    return connect(group, edge, edgeServerName, tls, token, origin, originTls, metrics, Http2Liveness.DEFAULT_INTERVAL);
  }

  /**
   * As above, with the liveness interval of the connection: once up, an edge that has sent nothing
   * for {@code liveness} is PINGed, and the connection closed if it stays silent for another
   * {@code liveness} (a half-open connection the OS has not noticed), so its slot reconnects.
   */
  public static CompletableFuture<EdgeConnection> connect(EventLoopGroup group, InetSocketAddress edge,
      String edgeServerName, SslContext tls, String token, URI origin, SslContext originTls, ConnectorMetrics metrics,
      Duration liveness) {
    CompletableFuture<EdgeConnection> result = new CompletableFuture<>();
    String connectorId = UUID.randomUUID().toString();
    Transports.client(group)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            HttpClientCodec http = new HttpClientCodec();
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), edgeServerName, edge.getPort()));
            ch.pipeline().addLast("http", http);
            ch.pipeline().addLast("upgrade",
                new HttpClientUpgradeHandler(http, new ReverseH2(origin, originTls, metrics, liveness), 8192));
            ch.pipeline().addLast("registration", new Registration(token, connectorId, edgeServerName, result, metrics));
          }
        })
        .connect(edge)
        .addListener(f -> {
          if (!f.isSuccess()) {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  /** After the 101: HTTP/2, this side serving the streams the edge opens. */
  private record ReverseH2(URI origin, SslContext originTls, ConnectorMetrics metrics, Duration liveness)
      implements HttpClientUpgradeHandler.UpgradeCodec {
    @Override
    public CharSequence protocol() {
      return TunnelProtocol.UPGRADE;
    }

    @Override
    public Collection<CharSequence> setUpgradeHeaders(ChannelHandlerContext ctx, HttpRequest upgradeRequest) {
      return List.of();
    }

    @Override
    public void upgradeTo(ChannelHandlerContext ctx, FullHttpResponse upgradeResponse) {
      ctx.pipeline().addFirst("liveness", new Http2Liveness(liveness, "edge"));
      ctx.pipeline().addAfter(ctx.name(), "h2", Http2FrameCodecBuilder.forServer()
          .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(TunnelProtocol.MAX_CONCURRENT_STREAMS))
          .build());
      ctx.pipeline().addAfter("h2", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
        @Override
        protected void initChannel(Http2StreamChannel stream) {
          stream.pipeline().addLast(new OriginStreamHandler(origin, originTls, metrics));
        }
      }));
    }
  }

  /** Sends the upgrade request once TLS is up and reports the outcome. */
  private static final class Registration extends ChannelInboundHandlerAdapter {
    private final String token;
    private final String connectorId;
    private final String host;
    private final CompletableFuture<EdgeConnection> result;
    private final ConnectorMetrics metrics;
    private final StringBuilder reason = new StringBuilder();
    private int refusedStatus;

    Registration(String token, String connectorId, String host, CompletableFuture<EdgeConnection> result,
        ConnectorMetrics metrics) {
      this.token = token;
      this.connectorId = connectorId;
      this.host = host;
      this.result = result;
      this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
          TunnelProtocol.CONNECT_PATH, Unpooled.EMPTY_BUFFER);
      req.headers().set(HttpHeaderNames.HOST, host);
      req.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
      req.headers().set(TunnelProtocol.CONNECTOR_ID_HEADER, connectorId);
      ctx.writeAndFlush(req);
      ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == HttpClientUpgradeHandler.UpgradeEvent.UPGRADE_SUCCESSFUL) {
        metrics.connected();
        ctx.channel().closeFuture().addListener(f -> metrics.disconnected());
        ctx.pipeline().remove(this);
        result.complete(new EdgeConnection(ctx.channel(), connectorId));
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      // Not upgraded: the edge's refusal, its reason in the (short) body.
      if (msg instanceof HttpResponse r) {
        refusedStatus = r.status().code();
      }
      if (msg instanceof HttpContent c && reason.length() < 512) {
        reason.append(c.content().toString(StandardCharsets.UTF_8));
      }
      ReferenceCountUtil.release(msg);
      if (msg instanceof LastHttpContent) {
        String why = reason.toString().trim();
        metrics.rejected(why.isEmpty() ? "status " + refusedStatus : why);
        result.completeExceptionally(new RegistrationRejectedException(refusedStatus,
            why.isEmpty() ? "edge refused the connection with status " + refusedStatus : why));
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.completeExceptionally(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.completeExceptionally(new java.io.IOException("edge closed the connection during registration"));
      ctx.fireChannelInactive();
    }
  }
}
