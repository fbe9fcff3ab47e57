package io.mcptunnel.proxy;

import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.netty.http.AccessLog;
import io.mcptunnel.netty.http.ExchangeBackend;
import io.mcptunnel.netty.http.ExchangeRecord;
import io.mcptunnel.netty.http.UpstreamLease;
import io.mcptunnel.netty.http.UpstreamRelay;
import io.mcptunnel.proxy.config.Upstream;
import io.mcptunnel.proxy.policy.PolicyHandler;
import io.mcptunnel.proxy.policy.Refusal;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's side of one inner session's exchanges: routes each request by its {@code Host},
 * checks the upstream's addresses with the egress guard, connects to a checked address itself (never
 * to the name again), and keeps one idle connection per upstream for the session's next request.
 * Access-log lines and request meters are written here.
 */
final class UpstreamConnections implements ExchangeBackend {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnections.class);
  private static final int CONNECT_TIMEOUT_MS = 10_000;

  private final ProxyRuntime rt;
  private final Channel session;
  private final String remote;
  private final Map<Upstream, Channel> idle = new HashMap<>();
  /** The route of the exchange under way; a session's exchanges run one after another. */
  private Route current;

  UpstreamConnections(ProxyRuntime rt, Channel session, String remote) {
    this.rt = rt;
    this.session = session;
    this.remote = remote;
  }

  /** A connection lent to one exchange on {@code route}. */
  private final class Lease implements UpstreamLease {
    final Route route;
    final Channel channel;
    final boolean reused;

    Lease(Route route, Channel channel, boolean reused) {
      this.route = route;
      this.channel = channel;
      this.reused = reused;
    }

    @Override
    public boolean reused() {
      return reused;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public String describe() {
      return route.upstream().toString();
    }

    @Override
    public void release(boolean reusable) {
      if (!reusable) {
        channel.close();
        return;
      }
      Channel previous = idle.put(route.upstream(), channel);
      if (previous != null) {
        previous.close();
      }
      channel.pipeline().get(UpstreamRelay.class).onIdleClose(() -> idle.remove(route.upstream(), channel));
      // A read pending while parked lets a close by the upstream be noticed at once.
      channel.read();
    }
  }

  @Override
  public void acquire(HttpRequest request, String id, Acquired result) {
    String host = request.headers().get(HttpHeaderNames.HOST);
    Route route = rt.routes.lookup(host).orElse(null);
    current = route;
    if (!rt.guards.isEmpty()) {
      Refusal refusal = session.attr(PolicyHandler.REFUSAL).getAndSet(null);
      if (refusal != null && route != null) {
        refuse(route, refusal, id, result);
        return;
      }
    }
    if (route == null) {
      LOG.atWarn().addKeyValue("host", host).addKeyValue("request_id", id).log("no route for host");
      result.refused(HttpResponseStatus.NOT_FOUND, "no route for host");
      return;
    }
    Channel parked = idle.remove(route.upstream());
    if (parked != null && parked.isActive()) {
      result.upstream(new Lease(route, parked, true));
      return;
    }
    String upstreamHost = route.upstream().host();
    if (EgressGuard.needsLookup(upstreamHost)) {
      rt.lookups.execute(() -> {
        EgressGuard.Resolution r = rt.guard.check(upstreamHost);
        session.eventLoop().execute(() -> resolved(route, r, id, result));
      });
    } else {
      resolved(route, rt.guard.check(upstreamHost), id, result);
    }
  }

  /** One log line and one count per refusal; the detail never holds a header value. */
  private void refuse(Route route, Refusal refusal, String id, Acquired result) {
    rt.metrics.policyRefused(route.name(), refusal.reason());
    LOG.atWarn().addKeyValue("route", route.name()).addKeyValue("request_id", id)
        .addKeyValue("reason", refusal.reason()).addKeyValue("detail", refusal.detail())
        .log("request refused by policy");
    result.refused(refusal.toResponse());
  }

  private void resolved(Route route, EgressGuard.Resolution r, String id, Acquired result) {
    if (!r.allowed()) {
      LOG.atWarn().addKeyValue("route", route.name()).addKeyValue("upstream", route.upstream().toString())
          .addKeyValue("reason", r.refusal().reason().name()).addKeyValue("request_id", id)
          .log(r.refusal().message());
      rt.metrics.upstreamRefused(route.name(), r.refusal().reason().name());
      result.refused(HttpResponseStatus.BAD_GATEWAY, "bad gateway: upstream address refused");
      return;
    }
    connect(route, r.addresses(), 0, id, result);
  }

  /** Connects to the validated addresses themselves, in order; never to the name again. */
  private void connect(Route route, List<InetAddress> addresses, int index, String id, Acquired result) {
    Upstream up = route.upstream();
    Transports.client(session.eventLoop())
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.ALLOCATOR, session.alloc())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (up.tls()) {
              ch.pipeline().addLast(rt.upstreamTls.newHandler(ch.alloc(), up.host(), up.port()));
            }
            ch.pipeline().addLast(new HttpClientCodec(4096, 65536, 65536));
            ch.pipeline().addLast(new UpstreamRelay());
          }
        })
        .connect(new InetSocketAddress(addresses.get(index), up.port()))
        .addListener((ChannelFuture f) -> {
          if (f.isSuccess()) {
            result.upstream(new Lease(route, f.channel(), false));
          } else if (index + 1 < addresses.size()) {
            connect(route, addresses, index + 1, id, result);
          } else {
            LOG.atWarn().addKeyValue("route", route.name()).addKeyValue("upstream", up.toString())
                .addKeyValue("reason", String.valueOf(f.cause().getMessage())).addKeyValue("request_id", id)
                .log("upstream connect failed");
            rt.metrics.upstreamFailed(route.name());
            result.refused(HttpResponseStatus.BAD_GATEWAY, "bad gateway: upstream unreachable");
          }
        });
  }

  @Override
  public HttpRequest toUpstream(HttpRequest request, String id, UpstreamLease lease) {
    return ForwardingHeaders.toUpstream(request, id);
  }

  @Override
  public void upstreamFailed(String id, UpstreamLease lease, String reason) {
    Route route = current;
    rt.metrics.upstreamFailed(route.name());
    LOG.atWarn().addKeyValue("route", route.name()).addKeyValue("upstream", lease.describe())
        .addKeyValue("reason", reason).addKeyValue("request_id", id).log("upstream failed");
  }

  @Override
  public boolean draining() {
    return rt.draining();
  }

  @Override
  public void sessionClosed() {
    List<Channel> parked = List.copyOf(idle.values());
    idle.clear();
    parked.forEach(Channel::close);
  }

  @Override
  public void finished(ExchangeRecord x) {
    Route route = current;
    String routeName = route == null ? "none" : route.name();
    rt.metrics.request(routeName, x.status(), x.bytesIn(), x.bytesOut(), x.took());
    if (AccessLog.enabled()) {
      AccessLog.line(x, remote, x.request().headers().get(HttpHeaderNames.HOST))
          .addKeyValue("route", routeName)
          .addKeyValue("upstream", route == null ? "" : route.upstream().toString())
          .log("request");
    }
  }
}
