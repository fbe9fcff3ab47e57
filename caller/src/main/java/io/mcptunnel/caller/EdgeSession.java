package io.mcptunnel.caller;

import io.mcptunnel.netty.Http2Liveness;
import io.mcptunnel.netty.StreamFrameCodec;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One TLS + HTTP/2 connection from the caller to an edge's caller port. Each {@link #openStream}
 * is an HTTP/2 stream that, once the edge answers {@code 200}, carries raw bytes to the tunnel's
 * proxy — the caller then runs its inner TLS over it ({@link InnerTls}).
 */
public final class EdgeSession implements AutoCloseable {
  private final Channel connection;
  private final String callerKey;

  private EdgeSession(Channel connection, String callerKey) {
    this.connection = connection;
    this.callerKey = callerKey;
  }

  /**
   * Connects to the edge's caller port. {@code edgeTls} carries the caller's client certificate and
   * key when it authenticates by certificate; {@code callerKey} may then be null, and no
   * {@code Authorization} header is sent.
   */
  public static CompletableFuture<EdgeSession> connect(EventLoopGroup group, InetSocketAddress edge, String edgeName,
      SslContext edgeTls, String callerKey) {
    CompletableFuture<EdgeSession> ready = new CompletableFuture<>();
    Transports.client(group)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            var ssl = edgeTls.newHandler(ch.alloc(), edgeName, edge.getPort());
            // First, so a half-open connection to the edge is noticed and replaced (see Http2Liveness).
            ch.pipeline().addLast("liveness", new Http2Liveness(Http2Liveness.DEFAULT_INTERVAL, "edge"));
            ch.pipeline().addLast("tls", ssl);
            ch.pipeline().addLast("h2", Http2FrameCodecBuilder.forClient().build());
            ch.pipeline().addLast("streams", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
            ssl.handshakeFuture().addListener(f -> {
              if (f.isSuccess()) {
                ready.complete(new EdgeSession(ch, callerKey));
              } else {
                ready.completeExceptionally(f.cause());
              }
            });
          }
        })
        .connect(edge)
        .addListener(f -> {
          if (!f.isSuccess()) {
            ready.completeExceptionally(f.cause());
          }
        });
    return ready;
  }

  public boolean isOpen() {
    return connection.isActive();
  }

  /** A byte stream to {@code host}'s proxy, or the edge's refusal as a {@link StreamRejectedException}. */
  public CompletableFuture<Channel> openStream(String host) {
    CompletableFuture<Channel> ready = new CompletableFuture<>();
    new Http2StreamChannelBootstrap(connection)
        .handler(new AwaitAnswer(ready))
        .open()
        .addListener(f -> {
          if (!f.isSuccess()) {
            ready.completeExceptionally(f.cause());
            return;
          }
          Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
          DefaultHttp2Headers headers = new DefaultHttp2Headers();
          headers.method("POST").scheme("https").path(TunnelProtocol.STREAM_PATH).authority(host);
          if (callerKey != null) {
            headers.set("authorization", "Bearer " + callerKey);
          }
          stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, false));
        });
    return ready;
  }

  @Override
  public void close() {
    connection.close();
  }

  /** Waits for the edge's answer; a refusal carries its reason in a short body. */
  private static final class AwaitAnswer extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Channel> ready;
    private int refusedStatus;
    private final StringBuilder reason = new StringBuilder();

    AwaitAnswer(CompletableFuture<Channel> ready) {
      this.ready = ready;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame h && refusedStatus == 0) {
          CharSequence status = h.headers().status();
          if (status != null && "200".contentEquals(status)) {
            ctx.pipeline().addFirst("bytes", new StreamFrameCodec());
            ctx.pipeline().remove(this);
            ready.complete(ctx.channel());
            return;
          }
          refusedStatus = status == null ? 502 : Integer.parseInt(status.toString());
          if (h.isEndStream()) {
            fail(ctx);
          }
        } else if (msg instanceof Http2DataFrame d) {
          if (reason.length() < 512) {
            reason.append(d.content().toString(StandardCharsets.UTF_8));
          }
          if (d.isEndStream()) {
            fail(ctx);
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    /**
     * The edge has ended its side; ending ours closes the stream cleanly. A reset instead would count
     * toward the edge's rapid-reset guard, and enough refusals would cost the whole connection.
     */
    private void fail(ChannelHandlerContext ctx) {
      ready.completeExceptionally(new StreamRejectedException(refusedStatus, reason.toString().trim()));
      ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true))
          .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ready.completeExceptionally(new StreamRejectedException(502, "the edge closed the stream"));
      ctx.fireChannelInactive();
    }
  }
}
