package io.mcptunnel.proxy;

import io.mcptunnel.netty.http.HopByHop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * What the proxy adds to a request beyond {@link HopByHop}: {@code X-Forwarded-Proto} /
 * {@code X-Forwarded-Host} and a request id. {@code Host} stays the public name so an
 * OAuth-protected MCP server can name it as its resource; {@code Authorization},
 * {@code Mcp-Session-Id}, {@code MCP-Protocol-Version} and {@code Last-Event-ID} pass untouched.
 */
public final class ForwardingHeaders {
  private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
  private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
  private static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

  private ForwardingHeaders() {}

  /** Turns the caller's request into the one sent upstream, in place. */
  public static HttpRequest toUpstream(HttpRequest in, String requestId) {
    HopByHop.toUpstream(in);
    HttpHeaders h = in.headers();
    h.set(X_FORWARDED_PROTO, "https");
    String host = h.get(HttpHeaderNames.HOST);
    if (host != null) {
      h.set(X_FORWARDED_HOST, host);
    }
    if (!h.contains(X_REQUEST_ID)) {
      h.set(X_REQUEST_ID, requestId);
    }
    return in;
  }
}
