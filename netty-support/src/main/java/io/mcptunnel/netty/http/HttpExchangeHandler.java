package io.mcptunnel.netty.http;

import io.mcptunnel.netty.BinaryFrameCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
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
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the HTTP/1.1 requests of one client session, one at a time, each relayed to the upstream
 * its {@link ExchangeBackend} picks. Both the session and the upstream connections read only when
 * asked (auto-read off), which is the backpressure: the client's next message is read only after
 * the previous body chunk was written upstream, and the upstream's next chunk only after the
 * previous one was written to the client; a {@code FlowControlHandler} in front holds anything
 * decoded in between. Upstream connections run on this session's event loop, so no state here is
 * shared between threads.
 */
public final class HttpExchangeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpExchangeHandler.class);
  private static final long MAX_DISCARD_BYTES = 1 << 20;
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

  private final ExchangeBackend backend;
  private final String remote;
  private ChannelHandlerContext ctx;
  private Exchange exchange;
  private boolean awaitingMessage;

  public HttpExchangeHandler(ExchangeBackend backend, String remote) {
    this.backend = backend;
    this.remote = remote;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      requestMessage();
    }
  }

  /**
   * Added before the connection was up, the first read waits for it. Exactly one read may be
   * outstanding: a second would let the request's next part in before its upstream exists.
   */
  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!awaitingMessage && exchange == null) {
      requestMessage();
    }
    ctx.fireChannelActive();
  }

  /** Asks for the client's next message: a request head when idle, else the next body chunk. */
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
      exchange.clientGone();
    }
    backend.sessionClosed();
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
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.atDebug().addKeyValue("remote", remote).addKeyValue("reason", String.valueOf(cause.getMessage()))
        .log("session error");
    ctx.close();
  }

  /** Called on this session's event loop when a graceful shutdown begins. */
  public void drain() {
    if (exchange == null) {
      closeSession();
    }
  }

  /** Ends the session politely: TLS close_notify and a WebSocket close frame where there are such layers. */
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
  private final class Exchange implements UpstreamRelay.Listener, ExchangeBackend.Acquired {
    private final HttpRequest request;
    private final HttpVersion clientVersion;
    private final long started = System.nanoTime();
    private final String id = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    private boolean keepAlive;
    private UpstreamLease lease;
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
    private boolean resent;
    private int status;
    /** A whole answer the backend built (a refusal), sent in place of the one-line text. */
    private FullHttpResponse answer;
    private long bytesIn;
    private long bytesOut;

    Exchange(HttpRequest request) {
      this.request = request;
      this.clientVersion = request.protocolVersion();
      this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    void start() {
      if (request.decoderResult().isFailure()) {
        keepAlive = false;
        respondError(HttpResponseStatus.BAD_REQUEST, "bad request: " + request.decoderResult().cause().getMessage());
        return;
      }
      backend.acquire(request, id, this);
    }

    @Override
    public void refused(HttpResponseStatus s, String text) {
      if (ctx.channel().isActive() && exchange == this) {
        respondError(s, text);
      }
    }

    @Override
    public void refused(FullHttpResponse response) {
      if (ctx.channel().isActive() && exchange == this) {
        answer = response;
        respondError(response.status(), null);
      } else {
        response.release();
      }
    }

    @Override
    public void upstream(UpstreamLease l) {
      if (!ctx.channel().isActive() || exchange != this) {
        l.release(false);
        return;
      }
      lease = l;
      upstream = l.channel();
      relay = upstream.pipeline().get(UpstreamRelay.class);
      relay.attach(this);
      upstream.write(backend.toUpstream(request, id, l));
      if (resent) { // the whole (bodyless) request was read already: send it complete
        upstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        upstream.read();
        return;
      }
      headPending = true;
      upstream.read();
      requestMessage();
      if (headPending) {
        headPending = false;
        upstream.flush();
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
        ctx.writeAndFlush(HopByHop.toDownstream(response, true, clientVersion, true))
            .addListener(readUpstreamOnSuccess());
        return;
      }
      boolean bodyless = request.method().equals(HttpMethod.HEAD) || response.status().code() == 204
          || response.status().code() == 304;
      boolean closeDelimited = HopByHop.closeDelimited(response, bodyless);
      upstreamReusable = HttpUtil.isKeepAlive(response) && !closeDelimited;
      if (closeDelimited && !clientVersion.isKeepAliveDefault()) {
        keepAlive = false;
      }
      if (backend.draining()) {
        keepAlive = false;
      }
      responseStarted = true;
      status = response.status().code();
      // Written now, flushed when the upstream read that carried it completes (flushToCaller),
      // so a small response leaves as one TLS record.
      ctx.write(HopByHop.toDownstream(response, bodyless, clientVersion, keepAlive))
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
          // The upstream answered early and left; the rest of the client's body goes nowhere.
          discarding = true;
          requestMessage();
        }
        return;
      }
      if (replayable()) {
        resend();
        return;
      }
      backend.upstreamFailed(id, lease, reason);
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

    /**
     * An upstream closes a kept-alive connection when it has been idle long enough, and can do so
     * just as the connection is lent again: the request then fails before any answer. RFC 9110
     * §9.2.2 lets a client send an idempotent request again; we do so once, on a new connection,
     * when it has no body and was read whole (nothing of it needs to be kept).
     */
    private boolean replayable() {
      return !resent && !responseStarted && !interimPending && lease != null && lease.reused() && requestDone
          && bytesIn == 0 && IDEMPOTENT.contains(request.method())
          && !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
    }

    private void resend() {
      resent = true;
      returnUpstream(false);
      backend.acquire(request, id, this);
    }

    void clientGone() {
      boolean unanswered = !responseDone;
      requestDone = true;
      responseDone = true;
      exchange = null;
      if (unanswered) {
        status = 499;
        log();
      }
      returnUpstream(false);
    }

    private void respondError(HttpResponseStatus s, String text) {
      FullHttpResponse prepared = answer;
      answer = null;
      if (responseStarted) {
        if (prepared != null) {
          prepared.release();
        }
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
        // The client waits for 100 Continue and may never send the body: do not wait for it.
        requestDone = true;
        keepAlive = false;
      }
      if (backend.draining()) {
        keepAlive = false;
      }
      FullHttpResponse r = prepared != null ? prepared.setProtocolVersion(clientVersion) : text(s, text);
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

    private FullHttpResponse text(HttpResponseStatus s, String text) {
      byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
      FullHttpResponse r = new DefaultFullHttpResponse(clientVersion, s, Unpooled.wrappedBuffer(body));
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      return r;
    }

    private void finishIfDone() {
      if (!requestDone || !responseDone || exchange != this) {
        return;
      }
      exchange = null;
      log();
      returnUpstream(upstreamReusable && keepAlive);
      if (!keepAlive || backend.draining()) {
        closeSession();
      } else {
        requestMessage();
      }
    }

    private void returnUpstream(boolean reusable) {
      if (lease == null) {
        return;
      }
      relay.detach();
      UpstreamLease l = lease;
      lease = null;
      upstream = null;
      l.release(reusable && l.channel().isActive());
    }

    private void log() {
      backend.finished(new ExchangeRecord(id, request, lease, status, bytesIn, bytesOut,
          Duration.ofNanos(System.nanoTime() - started)));
    }
  }
}
