package io.mcptunnel.caller;

import io.mcptunnel.common.HostPort;
import io.mcptunnel.netty.Transports;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The caller library: opens inner TLS sessions to {@code <route>.<tunnel-domain>} hosts through an
 * edge. Each event loop keeps its own connection to an edge (HTTP/2, many streams), so a session
 * and everything relayed over it stay on one thread. A session is returned only once the proxy's
 * certificate met the server-certificate rules against the tunnel's active CAs; one TLS context per
 * CA set lets later sessions resume instead of repeating a full handshake.
 */
public final class TunnelCaller implements AutoCloseable {
  private static final AttributeKey<List<X509Certificate>> VERIFIED_AGAINST =
      AttributeKey.valueOf("mcptunnel.verifiedAgainst");
  private final CallerSettings settings;
  private final EventLoopGroup group;
  private final Map<EventLoop, EdgeLink> links = new ConcurrentHashMap<>();
  private final Map<List<X509Certificate>, SslContext> innerTls = new ConcurrentHashMap<>();

  private TunnelCaller(CallerSettings settings, EventLoopGroup group) {
    this.settings = settings;
    this.group = group;
  }

  public static TunnelCaller start(CallerSettings settings) {
    return new TunnelCaller(settings, Transports.group("mcptunnel-caller", settings.threads()));
  }

  /** The event loops sessions run on; a server whose connections use them relays without thread hops. */
  public EventLoopGroup group() {
    return group;
  }

  /** A new verified inner TLS session to {@code host}, on any event loop. */
  public CompletableFuture<Channel> openSession(String host) {
    EventLoop loop = group.next();
    CompletableFuture<Channel> result = new CompletableFuture<>();
    loop.execute(() -> openSession(loop, host).whenComplete((ch, e) -> {
      if (e == null) {
        result.complete(ch);
      } else {
        result.completeExceptionally(e);
      }
    }));
    return result;
  }

  /**
   * A new verified inner TLS session to {@code host} on {@code loop}; call on that loop. The session
   * channel carries plaintext after its {@link SslHandler} and reads only when asked.
   */
  public CompletableFuture<Channel> openSession(EventLoop loop, String host) {
    return activeCas(loop, host).thenCompose(cas -> openSession(loop, host, cas));
  }

  /**
   * The tunnel's active CA certificates for {@code host}, never empty; call on {@code loop}. The
   * future completes on {@code loop}: at once when the {@link TunnelCas} knows the answer at once (the
   * usual case, a cached answer), else when its answer arrives, handed back to the loop so that the
   * loop-confined state (edge links, session pools) is only ever touched by its own thread. The
   * lookup itself never blocks the loop. Fails with a {@link TunnelCallException}: 404 for a host of
   * no known tunnel, 503 for a tunnel with no active CA, or the source's own failure (e.g. 503 when
   * the control plane cannot be asked).
   */
  public CompletableFuture<List<X509Certificate>> activeCas(EventLoop loop, String host) {
    CompletableFuture<Optional<List<X509Certificate>>> answer;
    try {
      answer = settings.cas().forHost(host);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<List<X509Certificate>> result = new CompletableFuture<>();
    if (answer.isDone()) {
      settle(answer, host, result);
    } else {
      CompletableFuture<Optional<List<X509Certificate>>> pending = answer;
      pending.whenComplete((found, e) -> {
        try {
          loop.execute(() -> settle(pending, host, result));
        } catch (RejectedExecutionException closing) {
          result.completeExceptionally(new TunnelCallException(503, "the caller is shutting down", false));
        }
      });
    }
    return result;
  }

  private static void settle(CompletableFuture<Optional<List<X509Certificate>>> answer, String host,
      CompletableFuture<List<X509Certificate>> result) {
    Optional<List<X509Certificate>> found;
    try {
      found = answer.join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      result.completeExceptionally(cause instanceof TunnelCallException ? cause
          : new TunnelCallException(502, "tunnel CA lookup failed: " + cause.getMessage(), true));
      return;
    }
    if (found.isEmpty()) {
      result.completeExceptionally(new TunnelCallException(404, "no tunnel is configured for host " + host, false));
    } else if (found.get().isEmpty()) {
      result.completeExceptionally(new TunnelCallException(503,
          "the tunnel of host " + host + " has no active CA certificate: nothing to verify the proxy against",
          false));
    } else {
      result.complete(found.get());
    }
  }

  /**
   * A new inner TLS session to {@code host} on {@code loop}, verified against {@code cas} (as
   * {@link #activeCas} gave them); call on that loop.
   *
   * <p>If the proxy's certificate is signed by none of {@code cas}, the list may simply be outdated:
   * during a CA rotation the proxy switches to a certificate of a CA registered after the list was
   * cached. The {@link TunnelCas} is told ({@link TunnelCas#refused}), the CAs are looked up once
   * more, and if that answer differs the session is opened once more against it; an unchanged answer
   * means the refusal stands. The retry lives here rather than in the gateway's session pool because
   * every user of the library gets it, and it is a single bounded step: one extra lookup and at most
   * one extra handshake, only for this one refusal.
   */
  public CompletableFuture<Channel> openSession(EventLoop loop, String host, List<X509Certificate> cas) {
    CompletableFuture<Channel> result = new CompletableFuture<>();
    open(loop, host, cas).whenComplete((session, e) -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause == null) {
        result.complete(session);
      } else if (!(cause instanceof UnknownIssuer)) {
        result.completeExceptionally(cause);
      } else {
        onLoop(loop, result, () -> {
          settings.cas().refused(host, cas);
          activeCas(loop, host).whenComplete((fresh, lookupFailed) -> {
            if (lookupFailed != null || fresh.equals(cas)) {
              result.completeExceptionally(cause);
              return;
            }
            open(loop, host, fresh).whenComplete((retried, failedAgain) -> {
              if (failedAgain == null) {
                result.complete(retried);
              } else {
                result.completeExceptionally(failedAgain instanceof CompletionException
                    && failedAgain.getCause() != null ? failedAgain.getCause() : failedAgain);
              }
            });
          });
        });
      }
    });
    return result;
  }

  private static void onLoop(EventLoop loop, CompletableFuture<?> result, Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException closing) {
      result.completeExceptionally(new TunnelCallException(503, "the caller is shutting down", false));
    }
  }

  private CompletableFuture<Channel> open(EventLoop loop, String host, List<X509Certificate> cas) {
    SslContext tls;
    try {
      tls = innerTls.computeIfAbsent(cas, TunnelCaller::contextFor);
    } catch (TunnelCallException e) {
      return CompletableFuture.failedFuture(e);
    }
    return links.computeIfAbsent(loop, l -> new EdgeLink(l, settings))
        .session()
        .thenCompose(edge -> edge.openStream(host))
        .thenCompose(stream -> innerHandshake(stream, host, tls))
        .thenApply(session -> {
          session.attr(VERIFIED_AGAINST).set(List.copyOf(cas));
          return session;
        });
  }

  /**
   * Whether {@code session} was verified against exactly {@code cas}: a pooled session is reused only
   * while the tunnel's CA set is unchanged, so a CA removed from the tunnel stops being trusted for
   * new requests even on warm sessions.
   */
  public static boolean verifiedAgainst(Channel session, List<X509Certificate> cas) {
    return cas.equals(session.attr(VERIFIED_AGAINST).get());
  }

  private static SslContext contextFor(List<X509Certificate> cas) {
    try {
      return InnerTls.forTunnel(cas);
    } catch (SSLException e) {
      throw new TunnelCallException(503, e.getMessage(), false);
    }
  }

  private static CompletableFuture<Channel> innerHandshake(Channel stream, String host, SslContext tls) {
    CompletableFuture<Channel> done = new CompletableFuture<>();
    stream.config().setAutoRead(false);
    SslHandler ssl = tls.newHandler(stream.alloc(), host, 443);
    stream.pipeline().addLast("inner-tls", ssl);
    // A failed handshake is reported through the future; its exception needs no second report.
    stream.pipeline().addLast("handshake-errors", new ChannelInboundHandlerAdapter() {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
      }
    });
    ssl.handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        stream.pipeline().remove("handshake-errors");
        done.complete(stream);
      } else {
        stream.close();
        String reason = handshakeFailure(f.cause());
        done.completeExceptionally(unknownIssuer(f.cause())
            ? new UnknownIssuer(reason) : new TunnelCallException(502, reason, true));
      }
    });
    return done;
  }

  /** The certificate refusal if that is why the handshake failed (it names the rule), else the TLS error. */
  private static String handshakeFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CertificateException) {
        return t.getMessage();
      }
    }
    return "inner TLS handshake failed: " + cause.getMessage();
  }

  private static boolean unknownIssuer(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ProxyCertificateTrust.UnknownIssuer) {
        return true;
      }
    }
    return false;
  }

  /** The proxy's certificate was refused because none of the CAs checked against signed it. */
  static final class UnknownIssuer extends TunnelCallException {
    UnknownIssuer(String message) {
      super(502, message, true);
    }
  }

  @Override
  public void close() {
    links.values().forEach(EdgeLink::close);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One event loop's connection to an edge, reopened (trying each edge in turn) once it is gone. */
  private static final class EdgeLink {
    private final EventLoop loop;
    private final CallerSettings settings;
    private CompletableFuture<EdgeSession> current;
    private int next;

    EdgeLink(EventLoop loop, CallerSettings settings) {
      this.loop = loop;
      this.settings = settings;
      this.next = Math.floorMod(System.identityHashCode(loop), settings.edges().size());
    }

    CompletableFuture<EdgeSession> session() {
      if (current == null || current.isCompletedExceptionally()
          || (current.isDone() && !current.join().isOpen())) {
        current = connect(0, null);
      }
      return current;
    }

    private CompletableFuture<EdgeSession> connect(int tried, Throwable last) {
      List<HostPort> edges = settings.edges();
      if (tried == edges.size()) {
        return CompletableFuture.failedFuture(new TunnelCallException(502,
            "no edge reachable (" + edges + "): " + (last == null ? "" : last.getMessage()), true));
      }
      HostPort edge = edges.get(next);
      next = (next + 1) % edges.size();
      return EdgeSession.connect(loop, edge.toSocketAddress(), edge.host(), settings.edgeTls(), settings.callerKey())
          .handle((s, e) -> s != null ? CompletableFuture.completedFuture(s) : connect(tried + 1, e))
          .thenCompose(f -> f);
    }

    void close() {
      loop.execute(() -> {
        if (current != null && current.isDone() && !current.isCompletedExceptionally()) {
          current.join().close();
        }
      });
    }
  }
}
