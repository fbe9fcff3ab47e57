package io.mcptunnel.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Picks the native epoll transport where it loads, NIO elsewhere; both behave the same to callers. */
public final class Transports {
  private static final boolean EPOLL = Epoll.isAvailable()
      && !Boolean.getBoolean("mcptunnel.netty.nio");

  private Transports() {}

  public static String name() {
    return EPOLL ? "epoll" : "nio";
  }

  /** An event-loop group with daemon threads named after {@code name}; 0 threads means Netty's default. */
  public static EventLoopGroup group(String name, int threads) {
    IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), io);
  }

  /**
   * A client bootstrap with what every dial of the data path shares: this transport, and no Nagle
   * delay (tunnel traffic is many small TLS records whose latency matters).
   */
  public static Bootstrap client(EventLoopGroup group) {
    return new Bootstrap().group(group).channel(socketChannel()).option(ChannelOption.TCP_NODELAY, true);
  }

  /** A server bootstrap with this transport and no Nagle delay on accepted connections. */
  public static ServerBootstrap server(EventLoopGroup boss, EventLoopGroup workers) {
    return new ServerBootstrap().group(boss, workers).channel(serverChannel())
        .childOption(ChannelOption.TCP_NODELAY, true);
  }

  public static Class<? extends ServerSocketChannel> serverChannel() {
    return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public static Class<? extends SocketChannel> socketChannel() {
    return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
