package io.mcptunnel.edge;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and counts a caller connection whose TLS handshake failed (for instance a client
 * certificate that does not chain to the caller CAs), and leaves the pipeline once the handshake
 * has succeeded. It sits in front of the TLS handler to see whether the peer sent anything at all:
 * a bare TCP connect that closes, as load balancer health checks do, is no refusal and is logged at
 * debug only.
 */
final class CallerHandshakeHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(CallerListener.class);

  private final CallerStreamEvents events;
  private boolean peerSpoke;

  CallerHandshakeHandler(CallerStreamEvents events) {
    this.events = events;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    ctx.pipeline().get(SslHandler.class).handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        if (ctx.pipeline().context(this) != null) {
          ctx.pipeline().remove(this);
        }
      } else {
        refused(ctx, f.cause());
      }
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    peerSpoke = true;
    ctx.fireChannelRead(msg);
  }

  private void refused(ChannelHandlerContext ctx, Throwable cause) {
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    String source = peer == null ? "" : peer.getAddress().getHostAddress();
    if (!peerSpoke) {
      LOG.atDebug().addKeyValue("source", source).log("caller connection closed before a TLS handshake");
      return;
    }
    events.handshakeRefused();
    LOG.atWarn().addKeyValue("source", source).addKeyValue("reason", reason(cause))
        .log("caller TLS handshake refused");
  }

  /**
   * The certificate check's own message when there is one (it names the certificate and why it was
   * refused); TLS stacks wrap it in their own, less telling, handshake errors.
   */
  static String reason(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException && t.getMessage() != null) {
        return t.getMessage();
      }
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
  }
}
