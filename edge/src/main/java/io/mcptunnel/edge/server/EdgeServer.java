package io.mcptunnel.edge.server;

import io.mcptunnel.common.AdminHttpServer;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.edge.CallerListener;
import io.mcptunnel.edge.ConnectorListener;
import io.mcptunnel.edge.ConnectorSessions;
import io.mcptunnel.edge.EdgeStreams;
import io.mcptunnel.edge.callers.Caller;
import io.mcptunnel.edge.registry.ControlPlaneTunnelRegistry;
import io.mcptunnel.edge.registry.FileTunnelRegistry;
import io.mcptunnel.edge.registry.TunnelRegistry;
import io.mcptunnel.edge.server.EdgeConfig.ControlPlane;
import io.mcptunnel.edge.server.EdgeConfig.RegistryFile;
import io.mcptunnel.netty.Transports;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running edge: the connector and caller listeners, the tunnel registry (the registry file or the
 * control plane's feed; archives sever connections as they arrive) and the admin endpoints, started from one
 * {@link EdgeConfig}. Everything is released by {@link #close()}, including after a failed start.
 */
public final class EdgeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);

  private final TunnelRegistry registry;
  private final AutoCloseable registryCloser;
  private final ConnectorSessions sessions = new ConnectorSessions();
  private final EventLoopGroup boss = Transports.group("mcptunnel-edge-accept", 1);
  private final EventLoopGroup workers = Transports.group("mcptunnel-edge", 0);
  private final EdgeMetrics metrics;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private ConnectorListener connectors;
  private CallerListener callers;
  private AdminHttpServer admin;
  private volatile boolean serving;

  private <R extends TunnelRegistry & AutoCloseable> EdgeServer(R registry, List<Caller> callerList) {
    this.registry = registry;
    this.registryCloser = registry;
    registry.addListener(sessions::onChange);
    metrics = new EdgeMetrics(registry, sessions, callerList::size);
  }

  /**
   * Loads the TLS pair and the tunnel state (the registry file, or the control plane's first
   * snapshot; failing fast, before any port is bound), then binds
   * the connector, caller and admin addresses. Errors are {@code McptunnelException}s naming the
   * field or file, e.g. {@code caller_listen :7845: Address already in use}.
   */
  public static EdgeServer start(EdgeConfig config) throws InterruptedException {
    EdgeTls tls = EdgeTls.load(config.certFile(), config.keyFile(), config.callerClientCaFile());
    EdgeServer server = config.tunnelSource() instanceof ControlPlane cp
        ? create(ControlPlaneTunnelRegistry.connect(cp.url(), cp.credentialFile(), cp.caFile()), config)
        : create(openFile((RegistryFile) config.tunnelSource()), config);
    try {
      server.bind(config, tls);
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    LOG.atInfo().addKeyValue("connector_listen", server.connectorAddress().toString())
        .addKeyValue("caller_listen", server.callerAddress().toString())
        .addKeyValue("admin_addr", server.adminAddress().toString())
        .addKeyValue("tunnels", server.registry.all().size())
        .addKeyValue("tunnel_source", config.tunnelSource() instanceof ControlPlane cp
            ? "control_plane " + cp.url() : "registry_file " + ((RegistryFile) config.tunnelSource()).path())
        .addKeyValue("callers", config.callers().size())
        .addKeyValue("caller_certificates", tls.requestsClientCertificates() ? "requested" : "not requested")
        .addKeyValue("certificate_sha256", tls.fingerprint())
        .addKeyValue("transport", Transports.name())
        .addKeyValue("tls_provider", EdgeTls.provider().name())
        .log("edge started");
    if (config.callers().isEmpty()) {
      LOG.warn("no callers configured: every caller stream will be refused");
    }
    return server;
  }

  private static FileTunnelRegistry openFile(RegistryFile file) {
    return new FileTunnelRegistry(file.path(), file.pollInterval());
  }

  private static <R extends TunnelRegistry & AutoCloseable> EdgeServer create(R registry, EdgeConfig config) {
    try {
      return new EdgeServer(registry, config.callers());
    } catch (RuntimeException e) {
      closeQuietly(registry);
      throw e;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) { // the registries' close() only stops a thread
      LOG.atWarn().setCause(e).log("closing the tunnel registry failed");
    }
  }

  private void bind(EdgeConfig config, EdgeTls tls) throws InterruptedException {
    List<Caller> callerList = config.callers();
    connectors = bound("connector_listen", config.connectorListen(), a ->
        ConnectorListener.bind(boss, workers, a, tls.connectorContext(), registry, sessions));
    callers = bound("caller_listen", config.callerListen(), a ->
        CallerListener.bind(boss, workers, a, tls.callerContext(), () -> callerList, registry,
            new EdgeStreams(sessions), metrics));
    try {
      admin = AdminHttpServer.start(config.adminAddr().toSocketAddress(), "mcptunnel-edge-admin", Map.of(
          "/healthz", AdminHttpServer.health(),
          "/readyz", AdminHttpServer.readiness(() -> serving),
          "/metrics", AdminHttpServer.metrics(metrics::scrape)));
    } catch (IOException e) {
      throw new EdgeConfigException("admin_addr " + config.adminAddr() + ": " + e.getMessage(), e);
    }
    serving = true;
  }

  private interface Binder<T> {
    T bind(InetSocketAddress address) throws InterruptedException;
  }

  /** A taken port or a bad address is an operator error naming the field, not a crash. */
  private static <T> T bound(String field, HostPort address, Binder<T> binder) throws InterruptedException {
    try {
      return binder.bind(address.toSocketAddress());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) { // Netty's sync() rethrows the bind failure (a checked IOException) undeclared
      throw new EdgeConfigException(field + " " + address + ": " + e.getMessage(), e);
    }
  }

  public InetSocketAddress connectorAddress() {
    return connectors.address();
  }

  public InetSocketAddress callerAddress() {
    return callers.address();
  }

  public InetSocketAddress adminAddress() {
    return admin.address();
  }

  public TunnelRegistry registry() {
    return registry;
  }

  public ConnectorSessions sessions() {
    return sessions;
  }

  public PrometheusMeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** Whether both listeners are bound and the server is not closing; what {@code /readyz} reports. */
  public boolean ready() {
    return serving;
  }

  /** Completes once {@link #close()} has released everything. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /**
   * Stops accepting (readiness goes first so a load balancer stops sending), then closes the open
   * connections with the event loops. Connectors reconnect, with backoff, to another edge address.
   * The admin server goes last so {@code /readyz} answers 503 while closing.
   */
  @Override
  public synchronized void close() {
    if (closed.isDone()) {
      return;
    }
    serving = false;
    if (callers != null) {
      callers.close();
    }
    if (connectors != null) {
      connectors.close();
    }
    closeQuietly(registryCloser);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    if (admin != null) {
      admin.close();
    }
    metrics.close();
    LOG.info("edge stopped");
    closed.complete(null);
  }
}
