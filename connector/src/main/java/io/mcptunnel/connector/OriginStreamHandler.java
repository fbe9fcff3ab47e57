package io.mcptunnel.connector;

import io.mcptunnel.netty.Transports;
import io.mcptunnel.netty.BinaryFrameCodec;
import io.mcptunnel.netty.ByteRelay;
import io.mcptunnel.netty.StreamFrameCodec;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream the edge opened: on its request headers, opens a WebSocket to the proxy, answers
 * {@code 200} once that is up (or {@code 502}), then relays bytes both ways with backpressure. The
 * bytes are the caller's inner TLS; the connector never sees them in the clear.
 */
final class OriginStreamHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(OriginStreamHandler.class);
  private static final int MAX_FRAME_BYTES = 1 << 20;

  private final URI origin;
  private final SslContext originTls;
  private final ConnectorMetrics metrics;
  /** Set on the stream's event loop once stream and WebSocket relay to each other. */
  private boolean joined;

  OriginStreamHandler(URI origin, SslContext originTls, ConnectorMetrics metrics) {
    this.origin = origin;
    this.originTls = originTls;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Http2HeadersFrame headers)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    CharSequence path = headers.headers().path();
    if (path == null || !TunnelProtocol.STREAM_PATH.contentEquals(path)) {
      respond(ctx, "404", true);
      return;
    }
    Channel stream = ctx.channel();
    stream.config().setAutoRead(false);
    metrics.streamOpened();
    stream.closeFuture().addListener(f -> metrics.streamClosed());
    WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
        .webSocketUri(origin).maxFramePayloadLength(MAX_FRAME_BYTES).handleCloseFrames(true).build();
    Channel originChannel = Transports.client(stream.eventLoop())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (originTls != null) {
              ch.pipeline().addLast(originTls.newHandler(ch.alloc(), origin.getHost(), origin.getPort()));
            }
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                new WebSocketClientProtocolHandler(ws), new OriginReady(stream));
          }
        })
        .connect(origin.getHost(), origin.getPort())
        .addListener(f -> {
          if (!f.isSuccess()) {
            LOG.atWarn().addKeyValue("origin", origin.toString())
                .addKeyValue("reason", String.valueOf(f.cause().getMessage())).log("origin unreachable");
            metrics.originFailed();
            respond(ctx, "502", true);
          }
        }).channel();
    // A stream that ends before it is joined (say its edge connection died) must not leave the
    // WebSocket to the proxy behind; once joined, the relay closes each side after the other.
    stream.closeFuture().addListener(f -> {
      if (!joined) {
        originChannel.close();
      }
    });
  }

  private static void respond(ChannelHandlerContext ctx, String status, boolean end) {
    ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(status), end));
  }

  /** Once the WebSocket to the proxy is up: answer the stream and join the two. */
  private final class OriginReady extends ChannelInboundHandlerAdapter {
    private final Channel stream;

    OriginReady(Channel stream) {
      this.stream = stream;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        Channel originChannel = ctx.channel();
        if (!stream.isActive()) {
          ctx.close(); // the stream ended while the WebSocket came up: nothing to relay
          return;
        }
        ctx.pipeline().remove(this);
        originChannel.pipeline().addLast("frames", new BinaryFrameCodec());
        stream.pipeline().addFirst("bytes", new StreamFrameCodec());
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
        stream.pipeline().remove(OriginStreamHandler.this);
        joined = true;
        ByteRelay.join(stream, originChannel);
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.atWarn().addKeyValue("origin", origin.toString()).addKeyValue("reason", String.valueOf(cause.getMessage()))
          .log("origin WebSocket failed");
      metrics.originFailed();
      if (stream.isActive()) {
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("502"), true));
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      stream.close();
    }
  }
}
