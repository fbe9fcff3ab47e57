package io.mcptunnel.testing;

import io.mcptunnel.netty.BinaryFrameCodec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Does what a tunnel backend does, for tests and benchmarks: opens a WebSocket to the proxy, runs
 * TLS inside it (verifying the proxy's certificate against a test CA with SNI = the route host),
 * then speaks HTTP/1.1 over that. One instance is one inner session; requests are sequential.
 */
public final class TestCaller implements AutoCloseable {
  private final Channel channel;
  private final String host;
  private final SslHandler ssl;
  private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();

  /** A response read whole. */
  public record Response(int status, HttpHeaders headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Receives a response as it streams: head first, then each body chunk as it arrives. */
  public interface Listener {
    void head(HttpResponse head);

    void chunk(ByteBuf content);

    void end();

    void failed(Throwable cause);

    /** A listener from lambdas; {@code end} completes when the response ends or fails. */
    static Listener of(Consumer<HttpResponse> onHead, Consumer<ByteBuf> onChunk, CompletableFuture<Void> end) {
      return new Listener() {
        @Override
        public void head(HttpResponse head) {
          onHead.accept(head);
        }

        @Override
        public void chunk(ByteBuf content) {
          onChunk.accept(content);
        }

        @Override
        public void end() {
          end.complete(null);
        }

        @Override
        public void failed(Throwable cause) {
          end.completeExceptionally(cause);
        }
      };
    }
  }

  private TestCaller(Channel channel, String host, SslHandler ssl) {
    this.channel = channel;
    this.host = host;
    this.ssl = ssl;
  }

  /** Connects and completes both handshakes; throws with the TLS failure if the proxy is not trusted. */
  public static TestCaller connect(EventLoopGroup group, InetSocketAddress proxy, String host, SslContext tls)
      throws Exception {
    CompletableFuture<TestCaller> ready = new CompletableFuture<>();
    URI uri = URI.create("ws://" + proxy.getHostString() + ":" + proxy.getPort() + "/");
    Bootstrap b = io.mcptunnel.netty.Transports.client(group)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).maxFramePayloadLength(1 << 20).handleCloseFrames(true).build();
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                new WebSocketClientProtocolHandler(ws), new Stacker(host, tls, ready));
          }
        });
    Channel ch = b.connect(proxy).sync().channel();
    ch.closeFuture().addListener(f -> ready.completeExceptionally(new IllegalStateException("connection closed")));
    return ready.get(15, TimeUnit.SECONDS);
  }

  /**
   * Runs the inner TLS and HTTP over a channel that already carries raw bytes (e.g. a tunnel stream
   * opened at the edge); completes after the TLS handshake.
   */
  public static CompletableFuture<TestCaller> over(Channel byteChannel, String host, SslContext tls) {
    CompletableFuture<TestCaller> ready = new CompletableFuture<>();
    byteChannel.eventLoop().execute(() -> {
      SslHandler ssl = tls.newHandler(byteChannel.alloc(), host, 443);
      TestCaller caller = new TestCaller(byteChannel, host, ssl);
      byteChannel.pipeline().addLast("tls", ssl);
      byteChannel.pipeline().addLast("http", new HttpClientCodec(4096, 65536, 65536));
      byteChannel.pipeline().addLast("responses", new ResponseDispatcher(caller));
      ssl.handshakeFuture().addListener(f -> {
        if (f.isSuccess()) {
          ready.complete(caller);
        } else {
          ready.completeExceptionally(f.cause());
          byteChannel.close();
        }
      });
      // A stream that closed before the handlers above were added never tells them: fail, do not wait.
      byteChannel.closeFuture().addListener(f -> ready.completeExceptionally(
          new java.nio.channels.ClosedChannelException()));
    });
    return ready;
  }

  public Channel channel() {
    return channel;
  }

  /** The TLS session, e.g. to check whether it was resumed. */
  public javax.net.ssl.SSLSession tlsSession() {
    return ssl.engine().getSession();
  }

  public boolean isOpen() {
    return channel.isActive();
  }

  public static FullHttpRequest request(HttpMethod method, String host, String path, Map<String, String> headers,
      byte[] body) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path,
        body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.HOST, host);
    headers.forEach((k, v) -> r.headers().set(k, v));
    if (body != null || method.equals(HttpMethod.POST)) {
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
    }
    return r;
  }

  /** Sends a request and collects the whole response. */
  public CompletableFuture<Response> send(FullHttpRequest request) {
    CompletableFuture<Response> done = new CompletableFuture<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    HttpResponse[] head = new HttpResponse[1];
    stream(request, new Listener() {
      @Override
      public void head(HttpResponse h) {
        head[0] = h;
      }

      @Override
      public void chunk(ByteBuf content) {
        byte[] bytes = new byte[content.readableBytes()];
        content.readBytes(bytes);
        body.writeBytes(bytes);
      }

      @Override
      public void end() {
        done.complete(new Response(head[0].status().code(), head[0].headers(), body.toByteArray()));
      }

      @Override
      public void failed(Throwable cause) {
        done.completeExceptionally(cause);
      }
    });
    return done;
  }

  /** Blocking convenience for tests. */
  public Response call(HttpMethod method, String path, Map<String, String> headers, String body) throws Exception {
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    return send(request(method, host, path, headers, bytes)).get(30, TimeUnit.SECONDS);
  }

  /** Sends a request whose response is delivered to {@code listener} as it streams. */
  public void stream(FullHttpRequest request, Listener listener) {
    pending.add(new Pending(listener));
    channel.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        failAll(f.cause());
      }
    });
  }

  /** Writes raw body chunks after a streamed request head (for chunked uploads). */
  public void write(HttpObject part) {
    channel.writeAndFlush(part);
  }

  public void streamHead(io.netty.handler.codec.http.HttpRequest head, Listener listener) {
    pending.add(new Pending(listener));
    channel.writeAndFlush(head);
  }

  private void failAll(Throwable cause) {
    Pending p;
    while ((p = pending.poll()) != null) {
      p.listener.failed(cause);
    }
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  private record Pending(Listener listener) {}

  /** Adds TLS and HTTP once the WebSocket is up, and completes {@code ready} after the TLS handshake. */
  private static final class Stacker extends io.netty.channel.ChannelInboundHandlerAdapter {
    private final String host;
    private final SslContext tls;
    private final CompletableFuture<TestCaller> ready;

    Stacker(String host, SslContext tls, CompletableFuture<TestCaller> ready) {
      this.host = host;
      this.tls = tls;
      this.ready = ready;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
        SslHandler ssl = tls.newHandler(ctx.alloc(), host, 443);
        TestCaller caller = new TestCaller(ctx.channel(), host, ssl);
        ctx.pipeline().addAfter(ctx.name(), "frames", new BinaryFrameCodec());
        ctx.pipeline().addAfter("frames", "tls", ssl);
        ctx.pipeline().addAfter("tls", "http", new HttpClientCodec(4096, 65536, 65536));
        ctx.pipeline().addAfter("http", "responses", new ResponseDispatcher(caller));
        ssl.handshakeFuture().addListener(f -> {
          if (f.isSuccess()) {
            ready.complete(caller);
          } else {
            ready.completeExceptionally(f.cause());
            ctx.close();
          }
        });
        return;
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ready.completeExceptionally(cause);
      ctx.close();
    }
  }

  private static final class ResponseDispatcher extends SimpleChannelInboundHandler<HttpObject> {
    private final TestCaller caller;
    private boolean interim;

    ResponseDispatcher(TestCaller caller) {
      this.caller = caller;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      Pending p = caller.pending.peek();
      if (p == null) {
        return;
      }
      if (msg instanceof HttpResponse head) {
        if (head.status().code() >= 100 && head.status().code() < 200) {
          interim = true; // 100 Continue: its (empty) end is not the end of the response
          return;
        }
        p.listener.head(head);
      }
      if (msg instanceof HttpContent && interim) {
        interim = !(msg instanceof LastHttpContent);
        return;
      }
      if (msg instanceof HttpContent c) {
        if (c.content().isReadable()) {
          p.listener.chunk(c.content());
        }
        if (msg instanceof LastHttpContent) {
          caller.pending.poll();
          p.listener.end();
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      caller.failAll(new IllegalStateException("inner session closed"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      caller.failAll(cause);
      ctx.close();
    }
  }
}
