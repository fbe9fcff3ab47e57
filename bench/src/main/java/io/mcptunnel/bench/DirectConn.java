package io.mcptunnel.bench;

import io.mcptunnel.netty.Transports;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP/1.1 keep-alive client connection: straight to the upstream (the baseline), or to the
 * peer stack's client-side stunnel (with the route's host name as {@code Host}).
 */
final class DirectConn implements Conn {
  private final Channel channel;
  private final String host;
  private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

  private static final class Pending {
    final CompletableFuture<Result> done = new CompletableFuture<>();
    int status;
    long bytes;
  }

  private DirectConn(Channel channel, String host) {
    this.channel = channel;
    this.host = host;
  }

  static DirectConn connect(EventLoopGroup group, InetSocketAddress upstream) throws InterruptedException {
    return connect(group, upstream, upstream.getHostString() + ":" + upstream.getPort());
  }

  static DirectConn connect(EventLoopGroup group, InetSocketAddress target, String host) throws InterruptedException {
    InetSocketAddress upstream = target;
    DirectConn[] self = new DirectConn[1];
    Bootstrap b = new Bootstrap().group(group).channel(Transports.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(4096, 65536, 65536), new Dispatcher(() -> self[0]));
          }
        });
    Channel ch = b.connect(upstream).sync().channel();
    self[0] = new DirectConn(ch, host);
    return self[0];
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public CompletableFuture<Result> exchange(FullHttpRequest request) {
    Pending p = new Pending();
    pending.add(p);
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        failAll(f.cause());
      }
    });
    return p.done;
  }

  private void failAll(Throwable cause) {
    Pending p;
    while ((p = pending.poll()) != null) {
      p.done.completeExceptionally(cause);
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private static final class Dispatcher extends SimpleChannelInboundHandler<HttpObject> {
    private final java.util.function.Supplier<DirectConn> conn;

    Dispatcher(java.util.function.Supplier<DirectConn> conn) {
      this.conn = conn;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      DirectConn c = conn.get();
      Pending p = c.pending.peek();
      if (p == null) {
        return;
      }
      if (msg instanceof HttpResponse head) {
        p.status = head.status().code();
      }
      if (msg instanceof HttpContent content) {
        p.bytes += content.content().readableBytes();
        if (msg instanceof LastHttpContent) {
          c.pending.poll();
          p.done.complete(new Result(p.status, p.bytes));
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      DirectConn c = conn.get();
      if (c != null) {
        c.failAll(new IllegalStateException("connection closed"));
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      DirectConn c = conn.get();
      if (c != null) {
        c.failAll(cause);
      }
      ctx.close();
    }
  }
}
