package io.mcptunnel.edge;

import io.mcptunnel.edge.callers.Caller;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.edge.registry.TunnelRegistry;
import io.mcptunnel.netty.ByteRelay;
import io.mcptunnel.netty.StreamFrameCodec;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's caller port: TLS, then HTTP/2 where each stream ({@code POST /v1/stream},
 * {@code :authority} the target host, {@code Authorization: Bearer <caller key>} unless the caller
 * authenticates by client certificate) asks for a byte stream to a tunnel's proxy.
 * {@link CallerAdmission} decides, from the stream's key and the client certificate the TLS context
 * verified (when it requests one); an admitted stream is joined to a stream on one of the tunnel's
 * connector connections. The edge only ever relays the caller's inner TLS, which it cannot read.
 */
public final class CallerListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CallerListener.class);

  private final Channel server;

  private CallerListener(Channel server) {
    this.server = server;
  }

  public static CallerListener bind(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
      SslContext tls, Supplier<List<Caller>> callers, TunnelRegistry registry, EdgeStreams streams,
      CallerStreamEvents events) throws InterruptedException {
    Channel ch = Transports.server(boss, workers)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            InetAddress source = c.remoteAddress().getAddress();
            c.pipeline().addLast("tls", tls.newHandler(c.alloc()));
            c.pipeline().addBefore("tls", "handshake", new CallerHandshakeHandler(events));
            c.pipeline().addLast("h2", Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                    .maxConcurrentStreams(TunnelProtocol.MAX_CONCURRENT_STREAMS))
                .build());
            c.pipeline().addLast("streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new CallerStream(source, callers, registry, streams, events));
              }
            }));
          }
        })
        .bind(address).sync().channel();
    return new CallerListener(ch);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }

  /** One caller stream: admission, then a stream to the tunnel, then relaying. */
  private static final class CallerStream extends ChannelInboundHandlerAdapter {
    private final InetAddress source;
    private final Supplier<List<Caller>> callers;
    private final TunnelRegistry registry;
    private final EdgeStreams streams;
    private final CallerStreamEvents events;

    CallerStream(InetAddress source, Supplier<List<Caller>> callers, TunnelRegistry registry, EdgeStreams streams,
        CallerStreamEvents events) {
      this.source = source;
      this.callers = callers;
      this.registry = registry;
      this.streams = streams;
      this.events = events;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof Http2HeadersFrame headers)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      Channel stream = ctx.channel();
      stream.config().setAutoRead(false);
      CharSequence path = headers.headers().path();
      if (path == null || !TunnelProtocol.STREAM_PATH.contentEquals(path)) {
        refuse(ctx, 404, "not found");
        return;
      }
      String host = String.valueOf(headers.headers().authority());
      CharSequence auth = headers.headers().get("authorization");
      String key = auth != null && auth.length() > 7 && auth.subSequence(0, 7).toString().equalsIgnoreCase("Bearer ")
          ? auth.subSequence(7, auth.length()).toString().trim() : null;
      String certificate = clientCertificateSha256(stream.parent());
      CallerAdmission.Decision d = CallerAdmission.admit(new CallerAdmission.Credentials(certificate, key), source, host,
          callers.get(), registry);
      if (!d.allowed()) {
        LOG.atWarn().addKeyValue("caller", d.caller() == null ? "" : d.caller().name())
            .addKeyValue("source", source.getHostAddress()).addKeyValue("host", host)
            .addKeyValue("certificate_sha256", certificate == null ? "" : certificate)
            .addKeyValue("reason", d.reason()).log("caller stream refused");
        refuse(ctx, d.status(), d.publicReason());
        return;
      }
      streams.open(d.tunnel().id(), host).whenComplete((tunnelStream, err) -> stream.eventLoop().execute(() -> {
        if (err != null) {
          LOG.atWarn().addKeyValue("tunnel", d.tunnel().id()).addKeyValue("host", host)
              .addKeyValue("reason", String.valueOf(err.getMessage())).log("no stream to the tunnel");
          refuse(ctx, 502, "tunnel unavailable");
          return;
        }
        if (!stream.isActive()) {
          tunnelStream.close();
          return;
        }
        events.opened(d.tunnel().id());
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), false));
        stream.pipeline().addFirst("bytes", new StreamFrameCodec());
        stream.pipeline().remove(this);
        ByteRelay.join(stream, tunnelStream);
      }));
    }

    /**
     * The SHA-256 of the client certificate the connection's TLS verified, or null when the caller
     * sent none (or the listener requests none). Streams only flow after the handshake, so the
     * session is complete here.
     */
    private static String clientCertificateSha256(Channel connection) {
      try {
        Certificate[] chain = connection.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
        return Fingerprints.sha256Hex((X509Certificate) chain[0]);
      } catch (SSLPeerUnverifiedException e) {
        return null;
      }
    }

    private void refuse(ChannelHandlerContext ctx, int status, String reason) {
      events.refused(status);
      ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(Integer.toString(status))
          .set("content-type", "text/plain; charset=utf-8"), false));
      ctx.writeAndFlush(new DefaultHttp2DataFrame(ByteBufUtil.writeUtf8(ctx.alloc(), reason + "\n"), true));
    }
  }
}
