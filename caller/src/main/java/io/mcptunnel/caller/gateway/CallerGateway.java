package io.mcptunnel.caller.gateway;

import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.netty.http.HttpExchangeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code http://LISTEN/<route>.<tunnel-domain>/<path>} for any unmodified MCP client: each request
 * is relayed, streaming both ways, over a pooled inner TLS session to the tunnel host. Client
 * connections are served on the caller's own event loops, so a request, its inner session and the
 * edge connection under it all run on one thread.
 */
public final class CallerGateway implements AutoCloseable {
  private final Channel listener;
  private final EventLoopGroup boss;
  private final Map<EventLoop, InnerSessionPool> pools;
  private final ChannelGroup clients;
  private final AtomicBoolean draining;

  private CallerGateway(Channel listener, EventLoopGroup boss, Map<EventLoop, InnerSessionPool> pools,
      ChannelGroup clients, AtomicBoolean draining) {
    this.listener = listener;
    this.boss = boss;
    this.pools = pools;
    this.clients = clients;
    this.draining = draining;
  }

  /** @throws McptunnelException naming the address when it cannot be bound */
  public static CallerGateway start(TunnelCaller caller, InetSocketAddress listen) throws InterruptedException {
    EventLoopGroup boss = Transports.group("mcptunnel-gateway-accept", 1);
    Map<EventLoop, InnerSessionPool> pools = new ConcurrentHashMap<>();
    ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    AtomicBoolean draining = new AtomicBoolean();
    try {
      ChannelFuture bound = Transports.server(boss, caller.group())
          .childOption(ChannelOption.AUTO_READ, false)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              clients.add(ch);
              EventLoop loop = ch.eventLoop();
              InnerSessionPool pool = pools.computeIfAbsent(loop, l -> new InnerSessionPool(caller, l));
              String remote = ch.remoteAddress() instanceof InetSocketAddress a
                  ? a.getAddress().getHostAddress() + ":" + a.getPort() : String.valueOf(ch.remoteAddress());
              ch.pipeline().addLast("http", new HttpServerCodec(4096, 65536, 65536));
              ch.pipeline().addLast("flow", new FlowControlHandler());
              ch.pipeline().addLast("exchanges",
                  new HttpExchangeHandler(new GatewayExchanges(pool, draining::get, remote), remote));
            }
          })
          .bind(listen).await();
      if (!bound.isSuccess()) {
        throw new McptunnelException("cannot listen on " + listen.getHostString() + ":" + listen.getPort() + ": "
            + bound.cause().getMessage());
      }
      return new CallerGateway(bound.channel(), boss, pools, clients, draining);
    } catch (InterruptedException | RuntimeException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  /**
   * Stops accepting, lets exchanges under way finish for up to {@code grace}, then closes client
   * connections and idle inner sessions. Later calls do nothing.
   */
  public void close(Duration grace) {
    if (draining.getAndSet(true)) {
      return; // closed (or closing) already
    }
    listener.close().syncUninterruptibly();
    for (Channel client : clients) {
      HttpExchangeHandler h = client.pipeline().get(HttpExchangeHandler.class);
      if (h != null) {
        client.eventLoop().execute(h::drain);
      }
    }
    clients.newCloseFuture().awaitUninterruptibly(grace.toMillis());
    clients.close().awaitUninterruptibly();
    pools.forEach((loop, pool) -> loop.execute(pool::closeAll));
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
  }
}
