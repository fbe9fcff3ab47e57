package io.mcptunnel.bench;

import io.mcptunnel.netty.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A small, fast HTTP/1.1 upstream on loopback with its own one-thread event loop: {@code POST /mcp}
 * answers a fixed JSON-RPC tools/call result; {@code GET /stream?n=BYTES} streams that many bytes in
 * 64 KiB chunks, writing the next chunk only while the channel is writable.
 */
final class BenchUpstream implements AutoCloseable {
  static final String MCP_RESPONSE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\","
      + "\"text\":\"The weather in Berlin is 14 C, light rain, wind 12 km/h from the west.\"}],"
      + "\"structuredContent\":{\"tempC\":14,\"wind\":12},\"isError\":false}}";
  static final int CHUNK = 64 * 1024;

  private final EventLoopGroup group = Transports.group("bench-upstream", 1);
  private final ByteBuf mcpBody = Unpooled.unreleasableBuffer(
      Unpooled.directBuffer().writeBytes(MCP_RESPONSE.getBytes(StandardCharsets.UTF_8)));
  private final ByteBuf chunk;
  private final Channel server;

  BenchUpstream() throws InterruptedException {
    ByteBuf c = Unpooled.directBuffer(CHUNK);
    for (int i = 0; i < CHUNK; i++) {
      c.writeByte('a' + i % 26);
    }
    chunk = Unpooled.unreleasableBuffer(c);
    server = new ServerBootstrap().group(group).channel(Transports.serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  static int mcpResponseLength() {
    return MCP_RESPONSE.getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private long remaining;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      if (req.method().equals(HttpMethod.POST) && q.path().equals("/mcp")) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            mcpBody.duplicate());
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, mcpBody.readableBytes());
        finish(ctx, ctx.writeAndFlush(res), keepAlive);
      } else if (req.method().equals(HttpMethod.GET) && q.path().equals("/stream")) {
        long n = Long.parseLong(q.parameters().getOrDefault("n", java.util.List.of("0")).get(0));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
        HttpUtil.setContentLength(head, n);
        ctx.write(head);
        remaining = n;
        pump(ctx);
      } else {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        finish(ctx, ctx.writeAndFlush(res), keepAlive);
      }
    }

    private void finish(ChannelHandlerContext ctx, io.netty.channel.ChannelFuture f, boolean keepAlive) {
      if (!keepAlive) {
        f.addListener(ChannelFutureListener.CLOSE);
      }
    }

    /** Writes chunks while the channel is writable; resumes from channelWritabilityChanged. */
    private void pump(ChannelHandlerContext ctx) {
      Channel ch = ctx.channel();
      while (remaining > 0 && ch.isWritable()) {
        int len = (int) Math.min(CHUNK, remaining);
        remaining -= len;
        ByteBuf part = chunk.retainedSlice(0, len);
        if (remaining == 0) {
          ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultLastHttpContent(part));
          return;
        }
        ctx.write(new DefaultHttpContent(part));
        if (!ch.isWritable()) {
          break;
        }
      }
      if (remaining > 0) {
        ctx.flush();
      } else if (remaining == 0) {
        // n == 0: close the message.
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        remaining = -1;
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable() && remaining > 0) {
        pump(ctx);
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
