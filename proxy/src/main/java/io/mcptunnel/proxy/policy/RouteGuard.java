package io.mcptunnel.proxy.policy;

import io.mcptunnel.proxy.config.RoutePolicy;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One route's policy with its state (the rate-limit bucket), applied to a request head in order:
 * authorization, rate, declared size, {@code Mcp-Method}/{@code Mcp-Name}. Unauthenticated requests
 * are refused before they can spend the route's rate budget.
 */
public final class RouteGuard {
  public static final String MCP_METHOD = "Mcp-Method";
  public static final String MCP_NAME = "Mcp-Name";

  private final RoutePolicy policy;
  private final TokenBucket bucket;

  public RouteGuard(RoutePolicy policy, LongSupplier ticker) {
    this.policy = policy;
    this.bucket = policy.rateLimit()
        .map(r -> new TokenBucket(r.requestsPerSecond(), r.burst(), ticker)).orElse(null);
  }

  public RoutePolicy policy() {
    return policy;
  }

  /** The refusal for a request head, or null to go on. */
  public Refusal checkHead(HttpRequest request) {
    HttpHeaders h = request.headers();
    if (policy.requireAuthorization()) {
      Optional<String> why = Authorization.refusal(h.getAll(HttpHeaderNames.AUTHORIZATION));
      if (why.isPresent()) {
        return Refusal.http(Refusal.UNAUTHORIZED, why.get(), HttpResponseStatus.UNAUTHORIZED,
            Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer"));
      }
    }
    if (bucket != null) {
      long wait = bucket.take();
      if (wait > 0) {
        RoutePolicy.RateLimit r = policy.rateLimit().orElseThrow();
        return Refusal.http(Refusal.RATE_LIMITED, "rate limit exceeded ("
            + java.math.BigDecimal.valueOf(r.requestsPerSecond()).stripTrailingZeros().toPlainString()
            + " requests per second, burst " + r.burst() + ")", HttpResponseStatus.TOO_MANY_REQUESTS,
            Map.of(HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(TokenBucket.retryAfterSeconds(wait))));
      }
    }
    long declared = HttpUtil.getContentLength(request, -1L);
    if (BodySize.tooLarge(declared, policy.maxRequestBytes())) {
      return tooLarge();
    }
    if (policy.allowedTools().isPresent()) {
      if (!request.method().equals(HttpMethod.POST) && hasBody(request)) {
        // Only POST bodies are inspected, so a body on any other method could carry a tools/call
        // past the filter to a server that accepts it: refused rather than forwarded unread.
        return Refusal.http(Refusal.BODY_NOT_INSPECTED, request.method() + " with a body: only POST"
            + " may carry a body on a route with allowed_tools", HttpResponseStatus.METHOD_NOT_ALLOWED,
            Map.of(HttpHeaderNames.ALLOW.toString(), "GET, POST, DELETE"));
      }
      return ToolCalls.headerRefusal(h.get(MCP_METHOD), h.get(MCP_NAME), policy.allowedTools().get());
    }
    return null;
  }

  private static boolean hasBody(HttpRequest request) {
    return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
  }

  public Refusal tooLarge() {
    String limit = policy.maxRequestBytes().isPresent()
        ? "max_request_bytes (" + policy.maxRequestBytes().getAsLong() + " bytes)"
        : "the " + BodySize.DEFAULT_INSPECTION_CAP + "-byte limit on bodies inspected for allowed_tools";
    return Refusal.http(Refusal.TOO_LARGE, "request body exceeds " + limit, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        Map.of());
  }

  /**
   * Whether the body must be read whole before anything goes upstream: a POST on a route with
   * allowed_tools (to inspect it), or a chunked body on a route with max_request_bytes (so the
   * upstream never gets more than the limit).
   */
  public boolean readsBodyWhole(HttpRequest request) {
    if (policy.allowedTools().isPresent() && request.method().equals(HttpMethod.POST)) {
      return true;
    }
    return hasBody(request) && policy.maxRequestBytes().isPresent() && HttpUtil.isTransferEncodingChunked(request);
  }

  /** The refusal for a body read whole, or null to forward it. */
  public ToolCalls.Verdict checkBody(HttpRequest request, byte[] body) {
    Set<String> allowed = policy.allowedTools().orElse(null);
    if (allowed == null || !request.method().equals(HttpMethod.POST)) {
      return new ToolCalls.Verdict(null, false);
    }
    String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      return new ToolCalls.Verdict(Refusal.http(Refusal.CONTENT_ENCODING, "compressed request bodies"
          + " (Content-Encoding) are not accepted on a route with allowed_tools",
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, Map.of()), false);
    }
    return ToolCalls.check(body, allowed, request.headers().get(MCP_METHOD), request.headers().get(MCP_NAME));
  }
}
