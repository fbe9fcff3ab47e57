package io.mcptunnel.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
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
      HttpHeaderNames.CONNECTION, "keep-alive", "proxy-connection",
      HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRANSFER_ENCODING);

  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

  private ForwardingHeaders() {}

  /**
   * Turns the caller's request into the one sent upstream over a kept-alive HTTP/1.1 connection.
   * Changes {@code in} in place (it is not used for anything else) to spare a header copy per request.
   */
  public static HttpRequest toUpstream(HttpRequest in, String requestId) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(in);
    HttpHeaders h = in.headers();
    String host = h.get(HttpHeaderNames.HOST);
    stripHopByHop(h);
    if (chunked) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    h.set(X_FORWARDED_PROTO, "https");
    if (host != null) {
      h.set(X_FORWARDED_HOST, host);
    }
    if (!h.contains(X_REQUEST_ID)) {
      h.set(X_REQUEST_ID, requestId);
    }
    return in.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  /**
   * Turns the upstream's response into the one sent to the caller, in place. A response delimited
   * by the upstream closing its connection is re-framed as chunked for an HTTP/1.1 caller so the
   * inner session can stay open.
   */
  public static HttpResponse toDownstream(HttpResponse in, boolean bodyless, HttpVersion callerVersion,
      boolean keepAlive) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(in);
    HttpHeaders h = in.headers();
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
    return in.setProtocolVersion(callerVersion);
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
