package io.mcptunnel.testing;

import io.mcptunnel.netty.Channels;
import io.mcptunnel.netty.Transports;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on loopback, put between a client and a server so a test can break single
 * connections the way networks do. {@link Link#silence()} makes a connection half-open: both
 * sockets stay open, nothing passes any more in either direction and neither side is told, as when
 * a host vanishes or a NAT or firewall forgets the flow. {@link Link#reset()} cuts one with a TCP
 * reset to both sides. Connections that are left alone pass bytes unchanged.
 */
public final class TcpForwarder implements AutoCloseable {
  private final Channel server;
  private final List<Link> links = new CopyOnWriteArrayList<>();

  private TcpForwarder(Channel server) {
    this.server = server;
  }

  /** Listens on a free loopback port and forwards every connection to {@code target}. */
  public static TcpForwarder start(EventLoopGroup group, InetSocketAddress target) throws InterruptedException {
    TcpForwarder[] self = new TcpForwarder[1];
    Channel server = Transports.server(group, group)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel inbound) {
            inbound.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                self[0].dial(inbound, target);
              }
            });
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    self[0] = new TcpForwarder(server);
    return self[0];
  }

  private void dial(Channel inbound, InetSocketAddress target) {
    Link link = new Link(inbound);
    Transports.client(inbound.eventLoop())
        .handler(new Pipe(link, inbound))
        .connect(target)
        .addListener((ChannelFutureListener) f -> {
          if (!f.isSuccess()) {
            inbound.close();
            return;
          }
          link.outbound = f.channel();
          links.add(link);
          inbound.pipeline().addLast(new Pipe(link, link.outbound));
          inbound.closeFuture().addListener(c -> link.ended());
          link.outbound.closeFuture().addListener(c -> link.ended());
          inbound.config().setAutoRead(true);
        });
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The connections being forwarded, oldest first; a connection leaves once both its sides closed. */
  public List<Link> links() {
    return List.copyOf(links);
  }

  /** The connection whose client side is {@code client} (the client's local address), if any. */
  public Link link(InetSocketAddress client) {
    return links.stream().filter(l -> client.equals(l.client())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no forwarded connection from " + client));
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    links.forEach(l -> {
      l.inbound.close();
      l.outbound.close();
    });
  }

  /** One forwarded connection: the client's socket and ours to the target. */
  public final class Link {
    private final Channel inbound;
    private volatile Channel outbound;
    private volatile boolean silenced;

    private Link(Channel inbound) {
      this.inbound = inbound;
    }

    /** The client's address as the client sees it, i.e. its socket's local address. */
    public InetSocketAddress client() {
      return (InetSocketAddress) inbound.remoteAddress();
    }

    /** The address the target sees this connection come from. */
    public InetSocketAddress towardTarget() {
      return (InetSocketAddress) outbound.localAddress();
    }

    /**
     * From now on nothing passes either way, nothing is read (so the peers' writes pile up in
     * buffers, then stall) and a close on either side is not passed on.
     */
    public void silence() {
      inbound.eventLoop().submit(() -> {
        silenced = true;
        inbound.config().setAutoRead(false);
        outbound.config().setAutoRead(false);
      }).syncUninterruptibly();
    }

    /** Closes both sides with a TCP reset (no FIN, no TLS close_notify). */
    public void reset() {
      inbound.eventLoop().submit(() -> {
        for (Channel c : List.of(inbound, outbound)) {
          c.config().setOption(ChannelOption.SO_LINGER, 0);
          c.unsafe().close(c.unsafe().voidPromise());
        }
      }).syncUninterruptibly();
    }

    private void ended() {
      if (!inbound.isOpen() && !outbound.isOpen()) {
        links.remove(this);
      }
    }
  }

  /** Copies what one side reads to the other, until the link is silenced. */
  private static final class Pipe extends ChannelInboundHandlerAdapter {
    private final Link link;
    private final Channel peer;

    Pipe(Link link, Channel peer) {
      this.link = link;
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (link.silenced) {
        ReferenceCountUtil.release(msg);
        return;
      }
      peer.writeAndFlush(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!link.silenced) {
        Channels.closeOnFlush(peer);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
