package io.mcptunnel.netty.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * The header changes every HTTP relay makes, and nothing more: hop-by-hop headers (RFC 9110
 * §7.6.1) are dropped and message framing is re-declared for the next hop. Messages are changed in
 * place (a relay uses them for nothing else) to spare a header copy per request.
 */
public final class HopByHop {
  private static final List<CharSequence> HOP_BY_HOP = List.of(
      HttpHeaderNames.CONNECTION, "keep-alive", "proxy-connection",
      HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE, HttpHeaderNames.TE,
      HttpHeaderNames.TRAILER, HttpHeaderNames.UPGRADE, HttpHeaderNames.TRANSFER_ENCODING);

  private HopByHop() {}

  /** A client's request as sent over a kept-alive HTTP/1.1 upstream connection. */
  public static HttpRequest toUpstream(HttpRequest in) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(in);
    HttpHeaders h = in.headers();
    strip(h);
    if (chunked) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return in.setProtocolVersion(HttpVersion.HTTP_1_1);
  }

  /**
   * The upstream's response as sent to the client. A response delimited by the upstream closing
   * its connection is re-framed as chunked for an HTTP/1.1 client so its connection can stay open.
   */
  public static HttpResponse toDownstream(HttpResponse in, boolean bodyless, HttpVersion clientVersion,
      boolean keepAlive) {
    boolean chunked = HttpUtil.isTransferEncodingChunked(in);
    HttpHeaders h = in.headers();
    strip(h);
    boolean framed = bodyless || h.contains(HttpHeaderNames.CONTENT_LENGTH);
    if (!framed && clientVersion.equals(HttpVersion.HTTP_1_1)) {
      chunked = true;
    }
    if (chunked && !bodyless) {
      h.remove(HttpHeaderNames.CONTENT_LENGTH);
      h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return in.setProtocolVersion(clientVersion);
  }

  /** Whether the client's framing for this response would end only with the connection. */
  public static boolean closeDelimited(HttpResponse in, boolean bodyless) {
    return !bodyless && !HttpUtil.isTransferEncodingChunked(in)
        && !in.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
  }

  static void strip(HttpHeaders h) {
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
