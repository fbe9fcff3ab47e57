package io.mcptunnel.proxy.policy;

import io.mcptunnel.proxy.Route;
import io.mcptunnel.proxy.RouteTable;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies route policies in a session's pipeline, in front of the exchange handler. It is only
 * installed when the config has policies, and passes requests of routes without one straight on.
 * A refusal is handed to the exchange (via {@link #REFUSAL}) so the exchange answers it, reads and
 * drops the rest of the body, and logs it like any other request. Bodies that must be inspected
 * are read whole (bounded) before the head is passed on; the whole body follows as one part at the
 * exchange's next read. On the way back, the
 * {@code tools/list} results of routes with allowed_tools are filtered: JSON bodies are held and
 * rewritten, event streams are filtered event by event as they pass.
 */
public final class PolicyHandler extends ChannelDuplexHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyHandler.class);
  /** The refusal of the request being passed on, for the exchange's backend to answer. */
  public static final AttributeKey<Refusal> REFUSAL = AttributeKey.valueOf("mcptunnel.policy.refusal");
  /** The most of a response held to filter a tools list in it. */
  static final long MAX_RESPONSE_BYTES = 16L << 20;

  private enum Mode { PASS, HOLD_JSON, FILTER_SSE, DROP }

  private final RouteTable routes;
  private final Map<String, RouteGuard> guards;
  private final BiConsumer<String, String> refusalCounter;

  private String route;
  private RouteGuard guard;
  private HttpRequest head;
  private CompositeByteBuf body;
  private LastHttpContent heldRequestBody;
  private boolean listsTools;
  private Mode mode = Mode.PASS;
  private HttpResponse heldHead;
  private CompositeByteBuf heldBody;
  private SseEvents events;

  public PolicyHandler(RouteTable routes, Map<String, RouteGuard> guards, BiConsumer<String, String> refusalCounter) {
    this.routes = routes;
    this.guards = guards;
    this.refusalCounter = refusalCounter;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req) {
      requestHead(ctx, req);
    } else if (msg instanceof HttpContent c && head != null) {
      requestContent(ctx, c);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void requestHead(ChannelHandlerContext ctx, HttpRequest req) {
    Optional<Route> r = routes.lookup(req.headers().get(HttpHeaderNames.HOST));
    route = r.map(Route::name).orElse(null);
    guard = route == null ? null : guards.get(route);
    listsTools = false;
    if (guard == null || req.decoderResult().isFailure()) {
      ctx.fireChannelRead(req);
      return;
    }
    Refusal refusal = guard.checkHead(req);
    if (refusal != null) {
      refuse(ctx, req, refusal);
      return;
    }
    if (guard.policy().allowedTools().isPresent()) {
      // A compressed response could not be filtered: ask for identity.
      req.headers().remove(HttpHeaderNames.ACCEPT_ENCODING);
    }
    if (!guard.readsBodyWhole(req)) {
      ctx.fireChannelRead(req);
      return;
    }
    head = req;
    body = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
    if (HttpUtil.is100ContinueExpected(req)) {
      // The body is wanted before any upstream is asked: say so ourselves.
      HttpUtil.set100ContinueExpected(req, false);
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    ctx.read();
  }

  private void requestContent(ChannelHandlerContext ctx, HttpContent c) {
    boolean last = c instanceof LastHttpContent;
    if (body.readableBytes() + (long) c.content().readableBytes()
        > BodySize.inspectionCap(guard.policy().maxRequestBytes())) {
      // Nothing went upstream; the exchange answers 413 and drops the rest of the body.
      c.release();
      body.release();
      body = null;
      HttpRequest h = head;
      head = null;
      refuse(ctx, h, guard.tooLarge());
      if (last) {
        ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
      }
      return;
    }
    body.addComponent(true, c.content().retain());
    c.release();
    if (!last) {
      ctx.read();
      return;
    }
    HttpRequest h = head;
    CompositeByteBuf b = body;
    head = null;
    body = null;
    // Passed on as the head now and the whole body at the exchange's next read, framed by length.
    h.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    HttpUtil.setContentLength(h, b.readableBytes());
    heldRequestBody = new DefaultLastHttpContent(b);
    ToolCalls.Verdict v = guard.checkBody(h, ByteBufUtil.getBytes(b));
    if (v.refusal() != null) {
      refuse(ctx, h, v.refusal());
      return;
    }
    listsTools = v.listsTools();
    ctx.fireChannelRead(h);
  }

  /** The exchange asks for its request's next part: the body held back, if any, else a real read. */
  @Override
  public void read(ChannelHandlerContext ctx) {
    LastHttpContent held = heldRequestBody;
    if (held != null) {
      heldRequestBody = null;
      ctx.fireChannelRead(held);
      return;
    }
    ctx.read();
  }

  private void refuse(ChannelHandlerContext ctx, HttpRequest req, Refusal refusal) {
    ctx.channel().attr(REFUSAL).set(refusal);
    ctx.fireChannelRead(req);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (body != null) {
      body.release();
      body = null;
    }
    if (heldBody != null) {
      heldBody.release();
      heldBody = null;
    }
    if (heldRequestBody != null) {
      heldRequestBody.release();
      heldRequestBody = null;
    }
    super.channelInactive(ctx);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse r && !(msg instanceof FullHttpResponse)) {
      responseHead(ctx, r, promise);
    } else if (msg instanceof HttpContent c && mode != Mode.PASS) {
      responseContent(ctx, c, promise);
    } else {
      ctx.write(msg, promise);
    }
  }

  private void responseHead(ChannelHandlerContext ctx, HttpResponse r, ChannelPromise promise) {
    mode = responseMode(r);
    if (mode != Mode.PASS && !identity(r.headers().get(HttpHeaderNames.CONTENT_ENCODING))) {
      mode = Mode.DROP;
      answerInstead(ctx, promise, "the upstream sent a compressed response, which the tool policy cannot inspect");
      return;
    }
    if (mode == Mode.HOLD_JSON) {
      heldHead = r;
      heldBody = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
      promise.setSuccess();
      return;
    }
    if (mode == Mode.FILTER_SSE) {
      events = new SseEvents(allowedTools(), MAX_RESPONSE_BYTES);
      if (r.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        r.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }
    ctx.write(r, promise);
  }

  private Mode responseMode(HttpResponse r) {
    if (guard == null || guard.policy().allowedTools().isEmpty()
        || r.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      return Mode.PASS;
    }
    String type = String.valueOf(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).toLowerCase(java.util.Locale.ROOT);
    if (type.startsWith("text/event-stream")) {
      return Mode.FILTER_SSE;
    }
    return listsTools && type.startsWith("application/json") ? Mode.HOLD_JSON : Mode.PASS;
  }

  private void responseContent(ChannelHandlerContext ctx, HttpContent c, ChannelPromise promise) {
    boolean last = c instanceof LastHttpContent;
    switch (mode) {
      case DROP -> {
        c.release();
        promise.setSuccess();
      }
      case HOLD_JSON -> holdJson(ctx, c, promise, last);
      case FILTER_SSE -> filterSse(ctx, c, promise, last);
      default -> ctx.write(c, promise);
    }
    if (last) {
      mode = Mode.PASS;
    }
  }

  private void holdJson(ChannelHandlerContext ctx, HttpContent c, ChannelPromise promise, boolean last) {
    if (heldBody.readableBytes() + (long) c.content().readableBytes() > MAX_RESPONSE_BYTES) {
      c.release();
      releaseHeld();
      mode = Mode.DROP;
      answerInstead(ctx, promise, "the upstream's tools/list response exceeds " + MAX_RESPONSE_BYTES + " bytes");
      return;
    }
    heldBody.addComponent(true, c.content().retain());
    c.release();
    if (!last) {
      promise.setSuccess();
      return;
    }
    byte[] json = ByteBufUtil.getBytes(heldBody);
    HttpResponse h = heldHead;
    releaseHeld();
    byte[] out;
    try {
      out = ToolsListFilter.filter(json, allowedTools()).orElse(json);
    } catch (IOException e) {
      answerInstead(ctx, promise, "the upstream's tools/list response is not valid JSON");
      return;
    }
    h.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
    h.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.length);
    ctx.write(h);
    ctx.write(new DefaultLastHttpContent(Unpooled.wrappedBuffer(out)), promise);
  }

  private void filterSse(ChannelHandlerContext ctx, HttpContent c, ChannelPromise promise, boolean last) {
    byte[] in = ByteBufUtil.getBytes(c.content());
    c.release();
    byte[] out;
    try {
      out = events.feed(in);
    } catch (SseEvents.TooLarge e) {
      count("response_not_inspectable", e.getMessage());
      promise.setFailure(e);
      ctx.close();
      return;
    }
    if (last) {
      byte[] rest = events.rest();
      byte[] all = new byte[out.length + rest.length];
      System.arraycopy(out, 0, all, 0, out.length);
      System.arraycopy(rest, 0, all, out.length, rest.length);
      events = null;
      ctx.write(new DefaultLastHttpContent(Unpooled.wrappedBuffer(all)), promise);
    } else {
      ctx.write(new DefaultHttpContent(Unpooled.wrappedBuffer(out)), promise);
    }
  }

  /** Sends a 502 in place of an upstream response the filter cannot handle; the rest of it is dropped. */
  private void answerInstead(ChannelHandlerContext ctx, ChannelPromise promise, String why) {
    count("response_not_inspectable", why);
    byte[] text = ("bad gateway: " + why + "\n").getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY,
        Unpooled.wrappedBuffer(text));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    promise.setSuccess();
  }

  private void count(String reason, String detail) {
    refusalCounter.accept(route, reason);
    LOG.atWarn().addKeyValue("route", route).addKeyValue("reason", reason).addKeyValue("detail", detail)
        .log("response refused by policy");
  }

  private void releaseHeld() {
    heldHead = null;
    if (heldBody != null) {
      heldBody.release();
      heldBody = null;
    }
  }

  private Set<String> allowedTools() {
    return guard.policy().allowedTools().orElse(Set.of());
  }

  private static boolean identity(String encoding) {
    return encoding == null || encoding.isBlank() || encoding.strip().equalsIgnoreCase("identity");
  }

}
