package io.mcptunnel.edge;

import io.mcptunnel.netty.StreamFrameCodec;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * Opens a byte stream to a tunnel's proxy through one of its connector connections: an HTTP/2
 * stream ({@code POST /v1/stream}, {@code :authority} the target host) that becomes usable once the
 * connector answers {@code 200}, i.e. once its WebSocket to the proxy is up.
 */
public final class EdgeStreams {
  private final ConnectorSessions sessions;

  public EdgeStreams(ConnectorSessions sessions) {
    this.sessions = sessions;
  }

  /** A channel that reads and writes the stream's bytes ({@code ByteBuf}); fails when none can be had. */
  public CompletableFuture<Channel> open(String tunnelId, String host) {
    CompletableFuture<Channel> ready = new CompletableFuture<>();
    Channel connection = sessions.pick(tunnelId).orElse(null);
    if (connection == null) {
      ready.completeExceptionally(new StreamRefusedException("no live connector for tunnel " + tunnelId));
      return ready;
    }
    new Http2StreamChannelBootstrap(connection)
        .handler(new AwaitAnswer(ready))
        .open()
        .addListener(f -> {
          if (!f.isSuccess()) {
            ready.completeExceptionally(new StreamRefusedException("cannot open a stream: " + f.cause().getMessage()));
            return;
          }
          Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
          stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
              .method("POST").scheme("https").path(TunnelProtocol.STREAM_PATH).authority(host), false));
        });
    return ready;
  }

  /** Waits for the connector's answer, then leaves a plain byte stream behind. */
  private static final class AwaitAnswer extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Channel> ready;

    AwaitAnswer(CompletableFuture<Channel> ready) {
      this.ready = ready;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2HeadersFrame h && !ready.isDone()) {
        CharSequence status = h.headers().status();
        ReferenceCountUtil.release(msg);
        if (status != null && "200".contentEquals(status)) {
          ctx.pipeline().addFirst("bytes", new StreamFrameCodec());
          ctx.pipeline().remove(this);
          ready.complete(ctx.channel());
        } else {
          ready.completeExceptionally(new StreamRefusedException("connector answered " + status));
          // End this side too: the refused stream then closes cleanly instead of with a reset, which the
          // connector would count toward HTTP/2's reset-flood limit (and close the connection after 200).
          ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true));
          ctx.close();
        }
        return;
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ready.completeExceptionally(new StreamRefusedException("stream closed before the connector answered"));
      ctx.fireChannelInactive();
    }
  }
}
