package io.mcptunnel.netty.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What differs between the places that relay HTTP exchanges (the proxy to its upstreams, the
 * caller gateway into tunnels): where a request goes, how its head is rewritten, and what is logged.
 * Every method is called on the session's event loop.
 */
public interface ExchangeBackend {

  /** Where a request goes: exactly one of the two, on the session's event loop. */
  interface Acquired {
    void upstream(UpstreamLease lease);

    /** Answers the client with {@code status} and a one-line {@code text}, without an upstream. */
    void refused(HttpResponseStatus status, String text);

    /**
     * Answers the client with {@code response} (a whole response built by the backend, e.g. a policy
     * refusal), without an upstream.
     */
    void refused(FullHttpResponse response);
  }

  /** Finds (or opens) an upstream connection for {@code request}. */
  void acquire(HttpRequest request, String exchangeId, Acquired result);

  /** The request head as the upstream must see it; may change {@code request} in place. */
  HttpRequest toUpstream(HttpRequest request, String exchangeId, UpstreamLease lease);

  /** The upstream failed mid-exchange (for logs and meters; the handler answers the client). */
  void upstreamFailed(String exchangeId, UpstreamLease lease, String reason);

  void finished(ExchangeRecord record);

  /** While draining, sessions close after their current exchange. */
  boolean draining();

  /** The client's session ended: anything kept for it alone can go. */
  default void sessionClosed() {}
}
