package io.mcptunnel.proxy;

import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.netty.BinaryFrameCodec;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.proxy.config.Upstream;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the HTTP/1.1 requests of one inner TLS session, one at a time, each relayed to its
 * route's upstream. Both the session and its upstream connections read only when asked (auto-read
 * off), which is the backpressure: the caller's next message is read only after the previous body
 * chunk was written upstream, and the upstream's next chunk only after the previous one was written
 * to the caller; a {@code FlowControlHandler} in front holds anything decoded in between. Upstream
 * connections run on this session's event loop, so no state here is shared between threads, and
 * an idle one is kept per upstream for the session's next request.
 */
final class ExchangeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);
  private static final Logger ACCESS = LoggerFactory.getLogger("mcptunnel.access");
  private static final long MAX_DISCARD_BYTES = 1 << 20;
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final ProxyRuntime rt;
  private final String remote;
  private final Map<Upstream, Channel> idleUpstreams = new HashMap<>();
  private ChannelHandlerContext ctx;
  private Exchange exchange;
  private boolean awaitingMessage;

  ExchangeHandler(ProxyRuntime rt, String remote) {
    this.rt = rt;
    this.remote = remote;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    requestMessage();
  }

  /** Asks for the caller's next message: a request head when idle, else the next body chunk. */
  private void requestMessage() {
    awaitingMessage = true;
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    awaitingMessage = false;
    if (msg instanceof HttpRequest req) {
      if (exchange != null) {
        ReferenceCountUtil.release(msg);
        closeSession();
        return;
      }
      exchange = new Exchange(req);
      exchange.start();
    } else if (msg instanceof HttpContent content && exchange != null) {
      exchange.requestContent(content);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * A read cycle can end without yielding a message (a TLS handshake record, a partial record or
   * HTTP chunk); the {@code FlowControlHandler} then forgets the read it was asked for, so ask
   * again while a message is still wanted.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (awaitingMessage) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange != null) {
      exchange.callerGone();
    }
    List<Channel> parked = List.copyOf(idleUpstreams.values());
    idleUpstreams.clear();
    parked.forEach(Channel::close);
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (exchange == null) {
        LOG.atDebug().addKeyValue("remote", remote).log("closing idle session");
        closeSession();
      }
      return;
    }
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      rt.metrics.handshakeFailed();
      LOG.atWarn().addKeyValue("remote", remote)
          .addKeyValue("reason", String.valueOf(done.cause().getMessage()))
          .log("tls handshake failed");
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Handshake failures are reported by userEventTriggered; other errors end the session.
    LOG.atDebug().addKeyValue("remote", remote).addKeyValue("reason", String.valueOf(cause.getMessage()))
        .log("inner session error");
    ctx.close();
  }

  /** Called on this session's event loop when the proxy begins a graceful shutdown. */
  void drain() {
    if (exchange == null) {
      closeSession();
    }
  }

  /** Ends the inner session politely: TLS close_notify, then a WebSocket close frame. */
  private void closeSession() {
    Channel ch = ctx.channel();
    if (!ch.isActive()) {
      return;
    }
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    ChannelHandlerContext frames = ctx.pipeline().context(BinaryFrameCodec.class);
    Runnable sendClose = () -> {
      if (frames != null && ch.isActive()) {
        frames.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
            .addListener(ChannelFutureListener.CLOSE);
      } else {
        ch.close();
      }
    };
    if (ssl != null) {
      ssl.closeOutbound().addListener(f -> sendClose.run());
    } else {
      sendClose.run();
    }
  }

  /** One request and its response. */
  private final class Exchange implements UpstreamRelay.Listener {
    private final HttpRequest request;
    private final HttpVersion callerVersion;
    private final long started = System.nanoTime();
    private final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private boolean keepAlive;
    private Route route;
    private Channel upstream;
    private UpstreamRelay relay;
    private boolean headPending;
    private boolean requestDone;
    private boolean discarding;
    private long discarded;
    private boolean responseStarted;
    private boolean responseDone;
    private boolean interimPending;
    private boolean upstreamReusable;
    private int status;
    private long bytesIn;
    private long bytesOut;

    Exchange(HttpRequest request) {
      this.request = request;
      this.callerVersion = request.protocolVersion();
      this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    void start() {
      if (request.decoderResult().isFailure()) {
        keepAlive = false;
        respondError(HttpResponseStatus.BAD_REQUEST, "bad request: " + request.decoderResult().cause().getMessage());
        return;
      }
      String host = request.headers().get(HttpHeaderNames.HOST);
      route = rt.routes.lookup(host).orElse(null);
      if (route == null) {
        LOG.atWarn().addKeyValue("host", host).addKeyValue("request_id", id).log("no route for host");
        respondError(HttpResponseStatus.NOT_FOUND, "no route for host");
        return;
      }
      Channel idle = idleUpstreams.remove(route.upstream());
      if (idle != null && idle.isActive()) {
        useUpstream(idle);
      } else {
        resolve();
      }
    }

    private void resolve() {
      String host = route.upstream().host();
      if (EgressGuard.needsLookup(host)) {
        rt.lookups.execute(() -> {
          EgressGuard.Resolution r = rt.guard.check(host);
          ctx.executor().execute(() -> resolved(r));
        });
      } else {
        resolved(rt.guard.check(host));
      }
    }

    private void resolved(EgressGuard.Resolution r) {
      if (!ctx.channel().isActive()) {
        return;
      }
      if (!r.allowed()) {
        LOG.atWarn().addKeyValue("route", route.name()).addKeyValue("upstream", route.upstream().toString())
            .addKeyValue("reason", r.refusal().reason().name()).addKeyValue("request_id", id)
            .log(r.refusal().message());
        rt.metrics.upstreamRefused(route.name(), r.refusal().reason().name());
        respondError(HttpResponseStatus.BAD_GATEWAY, "bad gateway: upstream address refused");
        return;
      }
      connect(r.addresses(), 0);
    }

    /** Connects to the validated addresses themselves, in order; never to the name again. */
    private void connect(List<InetAddress> addresses, int index) {
      Upstream up = route.upstream();
      UpstreamRelay newRelay = new UpstreamRelay();
      Bootstrap b = Transports.client(ctx.channel().eventLoop())
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.ALLOCATOR, ctx.alloc())
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (up.tls()) {
                ch.pipeline().addLast(rt.upstreamTls.newHandler(ch.alloc(), up.host(), up.port()));
              }
              ch.pipeline().addLast(new HttpClientCodec(4096, 65536, 65536));
              ch.pipeline().addLast(newRelay);
            }
          });
      b.connect(new InetSocketAddress(addresses.get(index), up.port())).addListener((ChannelFuture f) -> {
        if (f.isSuccess()) {
          useUpstream(f.channel());
        } else if (index + 1 < addresses.size()) {
          connect(addresses, index + 1);
        } else {
          LOG.atWarn().addKeyValue("route", route.name()).addKeyValue("upstream", up.toString())
              .addKeyValue("reason", String.valueOf(f.cause().getMessage())).addKeyValue("request_id", id)
              .log("upstream connect failed");
          rt.metrics.upstreamFailed(route.name());
          respondError(HttpResponseStatus.BAD_GATEWAY, "bad gateway: upstream unreachable");
        }
      });
    }

    private void useUpstream(Channel ch) {
      if (!ctx.channel().isActive()) {
        ch.close();
        return;
      }
      upstream = ch;
      relay = ch.pipeline().get(UpstreamRelay.class);
      relay.attach(this);
      ch.write(ForwardingHeaders.toUpstream(request, id));
      headPending = true;
      ch.read();
      requestMessage();
      if (headPending) {
        headPending = false;
        ch.flush();
      }
    }

    void requestContent(HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      if (discarding) {
        discarded += content.content().readableBytes();
        content.release();
        if (last) {
          requestDone = true;
          finishIfDone();
        } else if (discarded > MAX_DISCARD_BYTES) {
          keepAlive = false;
          requestDone = true;
          finishIfDone();
        } else {
          requestMessage();
        }
        return;
      }
      if (upstream == null) {
        content.release();
        return;
      }
      bytesIn += content.content().readableBytes();
      headPending = false;
      if (last) {
        requestDone = true;
      }
      upstream.writeAndFlush(content).addListener((ChannelFuture f) -> {
        if (!f.isSuccess()) {
          upstreamFailed("write failed: " + f.cause().getMessage());
        } else if (!last) {
          requestMessage();
        }
      });
    }

    @Override
    public void responseHead(HttpResponse response) {
      if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL
          && response.status().code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        // 100 Continue and friends: pass on, then wait for the final response.
        interimPending = true;
        ctx.writeAndFlush(ForwardingHeaders.toDownstream(response, true, callerVersion, true))
            .addListener(readUpstreamOnSuccess());
        return;
      }
      boolean bodyless = request.method().equals(HttpMethod.HEAD) || response.status().code() == 204
          || response.status().code() == 304;
      boolean closeDelimited = ForwardingHeaders.closeDelimited(response, bodyless);
      upstreamReusable = HttpUtil.isKeepAlive(response) && !closeDelimited;
      if (closeDelimited && !callerVersion.isKeepAliveDefault()) {
        keepAlive = false;
      }
      if (rt.draining()) {
        keepAlive = false;
      }
      responseStarted = true;
      status = response.status().code();
      // Written now, flushed when the upstream read that carried it completes (flushToCaller),
      // so a small response leaves as one TLS record.
      ctx.write(ForwardingHeaders.toDownstream(response, bodyless, callerVersion, keepAlive))
          .addListener(readUpstreamOnSuccess());
    }

    @Override
    public void responseContent(HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      if (interimPending && last) {
        interimPending = false;
        ctx.writeAndFlush(content).addListener(readUpstreamOnSuccess());
        return;
      }
      bytesOut += content.content().readableBytes();
      if (last) {
        responseDone = true;
      }
      if (last) {
        ctx.writeAndFlush(content);
        finishIfDone();
      } else {
        ctx.write(content).addListener(readUpstreamOnSuccess());
      }
    }

    @Override
    public void flushToCaller() {
      ctx.flush();
    }

    private ChannelFutureListener readUpstreamOnSuccess() {
      return f -> {
        if (!f.isSuccess()) {
          ctx.close();
        } else if (upstream != null && !responseDone) {
          upstream.read();
        }
      };
    }

    /** The upstream closed or failed while this exchange was using it. */
    @Override
    public void upstreamFailed(String reason) {
      if (responseDone) {
        if (!requestDone && !discarding) {
          // The upstream answered early and left; the rest of the caller's body goes nowhere.
          discarding = true;
          requestMessage();
        }
        return;
      }
      rt.metrics.upstreamFailed(route.name());
      LOG.atWarn().addKeyValue("route", route.name()).addKeyValue("upstream", route.upstream().toString())
          .addKeyValue("reason", reason).addKeyValue("request_id", id).log("upstream failed");
      upstreamReusable = false;
      if (responseStarted) {
        responseDone = true;
        keepAlive = false;
        requestDone = true;
        finishIfDone();
      } else {
        respondError(HttpResponseStatus.BAD_GATEWAY, "bad gateway: upstream closed the connection");
      }
    }

    void callerGone() {
      boolean unanswered = !responseDone;
      requestDone = true;
      responseDone = true;
      if (upstream != null) {
        upstream.close();
      }
      if (unanswered) {
        status = 499;
        log();
      }
      exchange = null;
    }

    private void respondError(HttpResponseStatus s, String text) {
      if (responseStarted) {
        keepAlive = false;
        requestDone = true;
        responseDone = true;
        finishIfDone();
        return;
      }
      responseStarted = true;
      responseDone = true;
      status = s.code();
      upstreamReusable = false;
      if (!requestDone && upstream == null && HttpUtil.is100ContinueExpected(request)) {
        // The caller waits for 100 Continue and may never send the body: do not wait for it.
        requestDone = true;
        keepAlive = false;
      }
      if (rt.draining()) {
        keepAlive = false;
      }
      byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
      FullHttpResponse r = new DefaultFullHttpResponse(callerVersion, s, Unpooled.wrappedBuffer(body));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      if (!keepAlive) {
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      ctx.writeAndFlush(r);
      if (requestDone) {
        finishIfDone();
      } else {
        discarding = true;
        requestMessage();
      }
    }

    private void finishIfDone() {
      if (!requestDone || !responseDone || exchange != this) {
        return;
      }
      exchange = null;
      log();
      if (upstream != null) {
        relay.detach();
        if (upstreamReusable && upstream.isActive() && keepAlive) {
          Channel previous = idleUpstreams.put(route.upstream(), upstream);
          if (previous != null) {
            previous.close();
          }
          Channel parked = upstream;
          relay.onIdleClose(() -> idleUpstreams.remove(route.upstream(), parked));
          // A read pending while parked lets a close by the upstream be noticed at once.
          upstream.read();
        } else {
          upstream.close();
        }
      }
      if (!keepAlive || rt.draining()) {
        closeSession();
      } else {
        requestMessage();
      }
    }

    private void log() {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      String routeName = route == null ? "none" : route.name();
      rt.metrics.request(routeName, status, bytesIn, bytesOut, took);
      if (!ACCESS.isInfoEnabled()) {
        return;
      }
      String uri = request.uri();
      int q = uri.indexOf('?');
      ACCESS.atInfo()
          .addKeyValue("request_id", id)
          .addKeyValue("remote", remote)
          .addKeyValue("method", request.method().name())
          .addKeyValue("host", request.headers().get(HttpHeaderNames.HOST))
          .addKeyValue("path", q < 0 ? uri : uri.substring(0, q))
          .addKeyValue("route", routeName)
          .addKeyValue("upstream", route == null ? "" : route.upstream().toString())
          .addKeyValue("status", status)
          .addKeyValue("bytes_in", bytesIn)
          .addKeyValue("bytes_out", bytesOut)
          .addKeyValue("duration_ms", took.toNanos() / 1_000_000.0)
          .log("request");
    }
  }
}
