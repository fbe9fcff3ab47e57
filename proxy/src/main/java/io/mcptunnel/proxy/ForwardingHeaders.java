package io.mcptunnel.proxy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * What the proxy changes in headers, and nothing more: hop-by-hop headers (RFC 9110 §7.6.1) are
 * dropped, message framing is re-declared for the next hop, and {@code X-Forwarded-Proto} /
 * {@code X-Forwarded-Host} are set. {@code Host} stays the public name so an OAuth-protected MCP
 * server can name it as its resource; {@code Authorization}, {@code Mcp-Session-Id},
 * {@code MCP-Protocol-Version} and {@code Last-Event-ID} pass untouched.
 */
public final class ForwardingHeaders {
  private static final List<CharSequence> HOP_BY_HOP = List.of(
      HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE, "proxy-connection",
      HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRANSFER_ENCODING);

  private ForwardingHeaders() {}

  /** The request as sent upstream over a kept-alive HTTP/1.1 connection. */
  public static HttpRequest toUpstream(HttpRequest in, String requestId) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(in);
    HttpHeaders h = in.headers().copy();
    stripHopByHop(h);
    if (chunked) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    String host = in.headers().get(HttpHeaderNames.HOST);
    h.set("X-Forwarded-Proto", "https");
    if (host != null) {
      h.set("X-Forwarded-Host", host);
    }
    if (!h.contains("X-Request-Id")) {
      h.set("X-Request-Id", requestId);
    }
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, in.method(), in.uri(), h);
  }

  /**
   * The upstream response as sent to the caller. A response delimited by the upstream closing its
   * connection is re-framed as chunked for an HTTP/1.1 caller so the inner session can stay open.
   */
  public static HttpResponse toDownstream(HttpResponse in, boolean bodyless, HttpVersion callerVersion,
      boolean keepAlive) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(in);
    HttpHeaders h = in.headers().copy();
    stripHopByHop(h);
    boolean framed = bodyless || h.contains(HttpHeaderNames.CONTENT_LENGTH);
    if (!framed && callerVersion.equals(HttpVersion.HTTP_1_1)) {
      chunked = true;
    }
    if (chunked && !bodyless) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return new DefaultHttpResponse(callerVersion, in.status(), h);
  }

  /** Whether the caller's framing for this response would end only with the connection. */
  public static boolean closeDelimited(HttpResponse in, boolean bodyless) {
    return !bodyless && !HttpUtil.isTransferEncodingChunked(in)
        && !in.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
  }

  static void stripHopByHop(HttpHeaders h) {
    for (String connection : h.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : connection.split(",")) {
        if (!token.isBlank()) {
          h.remove(token.trim());
        }
      }
    }
    for (CharSequence name : HOP_BY_HOP) {
      h.remove(name);
    }
  }
}
