package io.mcptunnel.proxy;

import io.mcptunnel.common.AdminHttpServer;
import io.mcptunnel.egress.EgressGuard;
import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.netty.http.HttpExchangeHandler;
import io.mcptunnel.proxy.config.ConfigException;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.RoutePolicy;
import io.mcptunnel.proxy.policy.RouteGuard;
import io.mcptunnel.proxy.tls.CertificateReloader;
import io.mcptunnel.proxy.tls.SslContexts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running proxy: its WebSocket listener, admin listener and certificate reloader. */
public final class ProxyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  private final ProxyConfig config;
  private final ProxyRuntime rt;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService lookups;
  private final CertificateReloader reloader;
  private final AdminHttpServer admin;
  private final PrometheusMeterRegistry registry;
  private final Channel listener;
  private final CompletableFuture<Boolean> stopped = new CompletableFuture<>();

  /**
   * Knobs that are not part of the compatible file format.
   *
   * @param idleSessionTimeout how long an inner session may sit with no request in flight and no
   *     traffic before it is closed (a stalled or abandoned caller must not hold resources forever)
   */
  public record Options(HostResolver resolver, Duration certPollInterval, int workerThreads,
      Duration idleSessionTimeout) {

    /** One event loop per core: every session and its upstream connections share one loop. */
    public static Options defaults() {
      return new Options(HostResolver.system(), Duration.ofSeconds(5), Runtime.getRuntime().availableProcessors(),
          Duration.ofMinutes(10));
    }

    public Options withResolver(HostResolver r) {
      return new Options(r, certPollInterval, workerThreads, idleSessionTimeout);
    }

    public Options withCertPollInterval(Duration d) {
      return new Options(resolver, d, workerThreads, idleSessionTimeout);
    }

    public Options withIdleSessionTimeout(Duration d) {
      return new Options(resolver, certPollInterval, workerThreads, d);
    }
  }

  private ProxyServer(ProxyConfig config, Options options) throws IOException, InterruptedException {
    this.config = config;
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProxyMetrics metrics = new ProxyMetrics(registry);
    reloader = new CertificateReloader(config.certFile(), config.keyFile(), options.certPollInterval(),
        m -> metrics.certificateLoaded(m.notAfter()));
    SslContext upstreamTls = config.hasTlsUpstreams()
        ? SslContexts.upstreamClient(config.upstreamCaFile(), config.includeSystemCas()) : null;
    lookups = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mcptunnel-dns");
      t.setDaemon(true);
      return t;
    });
    boss = Transports.group("mcptunnel-accept", 1);
    workers = Transports.group("mcptunnel-proxy", options.workerThreads());
    ChannelGroup sessions = new DefaultChannelGroup("sessions", GlobalEventExecutor.INSTANCE);
    rt = new ProxyRuntime(new RouteTable(config.routes(), config.tunnelDomain()),
        new EgressGuard(config.egressPolicy(), options.resolver()), reloader, upstreamTls, metrics,
        lookups, sessions, options.idleSessionTimeout(), guards(config));
    try {
      listener = bind(Transports.server(boss, workers)
          .option(ChannelOption.SO_BACKLOG, 1024)
          // The pooled allocator: Netty 4.2's adaptive default spent a sixth of the proxy's time in
          // its own queues in profiles of the small-call benchmark.
          .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
          .childHandler(new ListenerInitializer(rt)), config);
      try {
        admin = AdminHttpServer.start(config.adminAddr().toSocketAddress(), "mcptunnel-admin", Map.of(
            "/healthz", AdminHttpServer.health(),
            "/readyz", AdminHttpServer.readiness(() -> listener.isActive() && !rt.draining()),
            "/metrics", AdminHttpServer.metrics(registry::scrape)));
      } catch (IOException e) {
        listener.close();
        throw new ConfigException("admin_addr " + config.adminAddr() + ": " + e.getMessage(), e);
      }
    } catch (RuntimeException | InterruptedException e) {
      releaseResources();
      throw e;
    }
  }

  /** One guard per route with a policy; they hold the routes' rate-limit buckets. */
  private static Map<String, RouteGuard> guards(ProxyConfig config) {
    Map<String, RouteGuard> guards = new java.util.HashMap<>();
    for (String route : config.routes().keySet()) {
      RoutePolicy p = config.policy(route);
      if (!p.equals(RoutePolicy.NONE)) {
        guards.put(route, new RouteGuard(p, System::nanoTime));
      }
    }
    return guards;
  }

  /** Binds the WebSocket listener; a taken port or bad address is an operator error, not a crash. */
  private static Channel bind(ServerBootstrap bootstrap, ProxyConfig config) throws InterruptedException {
    io.netty.channel.ChannelFuture bound = bootstrap.bind(config.listenAddr().toSocketAddress()).await();
    if (!bound.isSuccess()) {
      throw new ConfigException("listen_addr " + config.listenAddr() + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    return bound.channel();
  }

  /** Validates TLS material, binds both listeners and starts serving. */
  public static ProxyServer start(ProxyConfig config, Options options) throws IOException, InterruptedException {
    ProxyServer server = new ProxyServer(config, options);
    LOG.atInfo().addKeyValue("listen_addr", server.listenAddress().toString())
        .addKeyValue("admin_addr", server.adminAddress().toString())
        .addKeyValue("routes", config.routes().size())
        .addKeyValue("egress_policy", config.egressPolicy().mode().name())
        .addKeyValue("transport", Transports.name())
        .addKeyValue("tls_provider", SslContexts.provider().name())
        .log("proxy started");
    if (config.egressPolicy().mode() == io.mcptunnel.egress.EgressPolicy.Mode.VALIDATION_DISABLED) {
      LOG.warn("upstream IP validation is disabled: the proxy may connect to any address (SSRF defence off)");
    }
    return server;
  }

  public InetSocketAddress listenAddress() {
    return (InetSocketAddress) listener.localAddress();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Re-reads the certificate files now instead of at the next poll. */
  public void reloadCertificate() {
    reloader.poll();
  }

  /** Completes when the server has stopped; true when every in-flight request finished in time. */
  public CompletableFuture<Boolean> stopped() {
    return stopped;
  }

  /**
   * Graceful shutdown: stop accepting, close idle sessions, let in-flight requests finish for up to
   * {@code shutdown_timeout}, then close whatever remains. Returns whether all finished in time.
   */
  public synchronized boolean shutdown() {
    if (stopped.isDone()) {
      return stopped.join();
    }
    rt.startDraining();
    LOG.atInfo().addKeyValue("timeout", config.shutdownTimeout().toString()).log("proxy shutting down");
    listener.close().syncUninterruptibly();
    CompletableFuture<Void> drained = new CompletableFuture<>();
    Runnable check = () -> {
      if (rt.sessions.isEmpty()) {
        drained.complete(null);
      }
    };
    for (Channel session : rt.sessions) {
      session.closeFuture().addListener(f -> check.run());
      session.eventLoop().execute(() -> {
        HttpExchangeHandler h = session.pipeline().get(HttpExchangeHandler.class);
        if (h != null) {
          h.drain();
        } else {
          session.close();
        }
      });
    }
    check.run();
    boolean clean;
    try {
      drained.get(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
      clean = true;
    } catch (TimeoutException e) {
      LOG.atWarn().addKeyValue("open_sessions", rt.sessions.size())
          .log("shutdown timeout reached, closing the remaining sessions");
      clean = false;
    } catch (Exception e) {
      clean = false;
    }
    rt.sessions.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    releaseResources();
    LOG.info("proxy stopped");
    stopped.complete(clean);
    return clean;
  }

  private void releaseResources() {
    if (admin != null) {
      admin.close();
    }
    reloader.close();
    lookups.shutdownNow();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Override
  public void close() {
    shutdown();
  }
}
