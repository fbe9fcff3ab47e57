package io.mcptunnel.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The outer pipeline of the proxy's listener: plain HTTP/1.1 that must upgrade to a WebSocket on
 * any path. Once upgraded, {@link SessionStarter} stacks the inner TLS session on top.
 */
final class ListenerInitializer extends ChannelInitializer<SocketChannel> {
  /** TLS records are at most ~16 KiB, but peers may coalesce several into one frame. */
  private static final int MAX_FRAME_BYTES = 1 << 20;

  private final ProxyRuntime rt;

  ListenerInitializer(ProxyRuntime rt) {
    this.rt = rt;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
        .websocketPath("/")
        .checkStartsWith(true)
        .handshakeTimeoutMillis(10_000)
        .dropPongFrames(true)
        .decoderConfig(WebSocketDecoderConfig.newBuilder()
            .maxFramePayloadLength(MAX_FRAME_BYTES)
            .allowExtensions(false)
            .build())
        .build();
    ch.pipeline()
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(8192))
        .addLast(new WebSocketServerProtocolHandler(ws))
        .addLast(new SessionStarter(rt));
  }
}
