package io.mcptunnel.caller.gateway;

import io.mcptunnel.caller.StreamRejectedException;
import io.mcptunnel.caller.TunnelCallException;
import io.mcptunnel.netty.http.AccessLog;
import io.mcptunnel.netty.http.ExchangeBackend;
import io.mcptunnel.netty.http.ExchangeRecord;
import io.mcptunnel.netty.http.HopByHop;
import io.mcptunnel.netty.http.UpstreamLease;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of one client connection's exchanges: the first path segment picks the tunnel
 * host, the request goes over a pooled inner session to that host with the rest of the path and
 * {@code Host} set to the tunnel host (the proxy routes by it).
 */
final class GatewayExchanges implements ExchangeBackend {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayExchanges.class);

  private final InnerSessionPool pool;
  private final BooleanSupplier draining;
  private final String remote;
  /** The host of the exchange under way; a connection's exchanges run one after another. */
  private String host = "";

  GatewayExchanges(InnerSessionPool pool, BooleanSupplier draining, String remote) {
    this.pool = pool;
    this.draining = draining;
    this.remote = remote;
  }

  private final class Lease implements UpstreamLease {
    private final String host;
    private final Channel channel;

    Lease(String host, Channel channel) {
      this.host = host;
      this.channel = channel;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public void release(boolean reusable) {
      pool.release(host, channel, reusable);
    }

    @Override
    public String describe() {
      return host;
    }
  }

  @Override
  public void acquire(HttpRequest request, String id, Acquired result) {
    GatewayTarget.Result parsed = GatewayTarget.parse(request.uri());
    if (!parsed.ok()) {
      host = "";
      result.refused(HttpResponseStatus.BAD_REQUEST, "bad request: " + parsed.error());
      return;
    }
    host = parsed.target().host();
    request.setUri(parsed.target().path());
    String target = host;
    pool.acquire(target, (ch, e) -> {
      if (e == null) {
        result.upstream(new Lease(target, ch));
        return;
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      LOG.atWarn().addKeyValue("host", target).addKeyValue("request_id", id)
          .addKeyValue("reason", String.valueOf(cause.getMessage())).log("tunnel session failed");
      result.refused(statusFor(cause), "tunnel session failed: " + cause.getMessage());
    });
  }

  /**
   * The edge's refusals of this caller (401, 403) become 502: they concern the gateway's own
   * credentials, and a 401 would send the MCP client into an OAuth flow with the MCP server.
   */
  static HttpResponseStatus statusFor(Throwable cause) {
    int status = cause instanceof TunnelCallException t ? t.status() : 502;
    if (cause instanceof StreamRejectedException && (status == 401 || status == 403)) {
      status = 502;
    }
    return HttpResponseStatus.valueOf(status);
  }

  @Override
  public HttpRequest toUpstream(HttpRequest request, String id, UpstreamLease lease) {
    HopByHop.toUpstream(request);
    // The proxy routes by Host; the MCP server sees its public name, as through the hosted tunnel.
    request.headers().set(HttpHeaderNames.HOST, ((Lease) lease).host);
    return request;
  }

  @Override
  public void upstreamFailed(String id, UpstreamLease lease, String reason) {
    LOG.atWarn().addKeyValue("host", lease.describe()).addKeyValue("request_id", id)
        .addKeyValue("reason", reason).log("tunnel session failed mid-exchange");
  }

  @Override
  public void finished(ExchangeRecord x) {
    if (AccessLog.enabled()) {
      AccessLog.line(x, remote, host).log("request");
    }
  }

  @Override
  public boolean draining() {
    return draining.getAsBoolean();
  }
}
