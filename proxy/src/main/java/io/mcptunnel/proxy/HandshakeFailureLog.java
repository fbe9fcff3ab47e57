package io.mcptunnel.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs ({@code tls handshake failed}) and counts a failed inner TLS handshake, then ends the session. */
final class HandshakeFailureLog extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeFailureLog.class);

  private final ProxyMetrics metrics;
  private final String remote;

  HandshakeFailureLog(ProxyMetrics metrics, String remote) {
    this.metrics = metrics;
    this.remote = remote;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      ctx.pipeline().remove(this);
      if (!done.isSuccess()) {
        metrics.handshakeFailed();
        LOG.atWarn().addKeyValue("remote", remote)
            .addKeyValue("reason", String.valueOf(done.cause().getMessage()))
            .log("tls handshake failed");
        ctx.close();
        return;
      }
    }
    ctx.fireUserEventTriggered(evt);
  }
}
