package io.mcptunnel.controlplane.api;

import io.mcptunnel.controlplane.admin.AdminService;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.federation.AccessTokenIssuer;
import io.mcptunnel.controlplane.federation.AccessTokenKey;
import io.mcptunnel.controlplane.federation.AccessTokenKeyFile;
import io.mcptunnel.controlplane.federation.AccessTokenVerifier;
import io.mcptunnel.controlplane.federation.AuthenticationHistory;
import io.mcptunnel.controlplane.federation.FederationDirectory;
import io.mcptunnel.controlplane.federation.HttpJwksFetcher;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import io.mcptunnel.controlplane.federation.JwksCache;
import io.mcptunnel.controlplane.federation.TokenExchange;
import io.mcptunnel.controlplane.federation.jdbc.JdbcAuthenticationHistory;
import io.mcptunnel.controlplane.federation.jdbc.JdbcFederationDirectory;
import io.mcptunnel.controlplane.internal.InternalClientService;
import io.mcptunnel.controlplane.state.StateWatcher;
import io.mcptunnel.controlplane.store.Database;
import io.mcptunnel.controlplane.tunnels.TunnelCaLookup;
import io.mcptunnel.controlplane.tunnels.TunnelStateFeed;
import io.mcptunnel.controlplane.tunnels.TokenKeyFile;
import io.mcptunnel.controlplane.tunnels.TunnelService;
import io.mcptunnel.controlplane.tunnels.TunnelServiceConfig;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running control plane: database, Tunnels service, audit log, token exchange, access-token
 * issuer and verifier, and the HTTP listener. Federation rules and the authentication history
 * come in through their interfaces so the persistent implementations can replace the in-memory ones.
 */
public final class ControlPlaneServer implements AutoCloseable {
  static final Duration JWKS_TTL = Duration.ofMinutes(5);
  static final Duration JWKS_MIN_REFETCH = Duration.ofSeconds(30);
  /** How often the state clock is read: bounds how late a change made by another instance is seen. */
  public static final Duration STATE_POLL_INTERVAL = Duration.ofMillis(100);
  // Longer than the longest long-poll, so a waiting edge's quiet connection is not cut as idle.
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(InternalRoutes.MAX_WAIT_SECONDS + 30);
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneServer.class);

  private final ControlPlaneConfig config;
  private FederationDirectory directory;
  private AuthenticationHistory history;
  private final IssuerUrlPolicy issuerUrlPolicy;
  private final Clock clock;
  private final CompletableFuture<Boolean> closed = new CompletableFuture<>();
  private Duration statePollInterval = STATE_POLL_INTERVAL;
  private Database database;
  private StateWatcher watcher;
  private Server server;

  /**
   * A server whose federation issuers, rules and authentication history live in its database (what
   * {@code control-plane run} uses: they survive restarts and are shared by every node).
   */
  public ControlPlaneServer(ControlPlaneConfig config, IssuerUrlPolicy issuerUrlPolicy, Clock clock) {
    this(config, null, null, issuerUrlPolicy, clock);
  }

  /** As above with the federation directory and history given (in-memory ones in tests). */
  public ControlPlaneServer(ControlPlaneConfig config, FederationDirectory directory,
      AuthenticationHistory history, IssuerUrlPolicy issuerUrlPolicy, Clock clock) {
    this.config = config;
    this.directory = directory;
    this.history = history;
    this.issuerUrlPolicy = issuerUrlPolicy;
    this.clock = clock;
  }

  /** Another state-clock polling interval (tests); before {@link #start()}. */
  public synchronized ControlPlaneServer statePollInterval(Duration interval) {
    this.statePollInterval = interval;
    return this;
  }

  /** Opens (and migrates) the database, then listens; returns the bound address. */
  public synchronized InetSocketAddress start() {
    try {
      database = config.databaseUrl() == null
          ? Database.openDataDirectory(config.dataDirectory())
          : Database.open(config.databaseUrl(), config.databasePassword());
      watcher = new StateWatcher(database, statePollInterval).start();
      server = new Server(threads());
      ServerConnector connector = config.tls() == null
          ? new ServerConnector(server)
          : new ServerConnector(server, ListenerTls.load(config.tls()));
      connector.setHost(config.listen().getHostString());
      connector.setPort(config.listen().getPort());
      connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
      server.addConnector(connector);
      server.setHandler(handler());
      server.setErrorHandler(new JsonErrorHandler());
      server.start();
      InetSocketAddress bound = new InetSocketAddress(config.listen().getAddress(), connector.getLocalPort());
      LOG.info("control plane listening address={} scheme={} config={}", bound,
          config.tls() == null ? "http" : "https", config);
      return bound;
    } catch (Exception e) {
      close();
      // The cause's message only: driver and pool messages name hosts, never the password.
      throw new ControlPlaneStartException("control plane did not start: " + e.getMessage(), e);
    }
  }

  private ApiHandler handler() {
    AccessTokenKey key = AccessTokenKeyFile.loadOrCreate(config.dataDirectory());
    TunnelServiceConfig tunnels = TunnelServiceConfig.of(config.tunnelZone(),
        TokenKeyFile.loadOrCreate(config.dataDirectory()))
        .withDefaultMaxActiveTunnels(config.maxActiveTunnelsPerOrganization());
    AuditLog audit = new AuditLog(database);
    // A local change wakes this instance's long-polls at once; other instances see it at their next tick.
    TunnelService service = new TunnelService(database, audit, clock, tunnels, watcher::poke);
    InternalClientService internalClients = new InternalClientService(database, audit, clock);
    InternalRoutes internal = new InternalRoutes(new InternalAuthenticator(internalClients),
        new TunnelStateFeed(database), new TunnelCaLookup(database), watcher, server.getThreadPool());
    AccessTokenVerifier verifier = new AccessTokenVerifier(List.of(key.publicKey()),
        ControlPlaneConfig.TOKEN_ISSUER, clock);
    if (directory == null) {
      directory = new JdbcFederationDirectory(database);
    }
    if (history == null) {
      history = new JdbcAuthenticationHistory(database);
    }
    JwksCache jwks = new JwksCache(new HttpJwksFetcher(issuerUrlPolicy), clock, JWKS_TTL, JWKS_MIN_REFETCH);
    TokenExchange exchange = new TokenExchange(directory, jwks, history, clock);
    AccessTokenIssuer issuer = new AccessTokenIssuer(key, ControlPlaneConfig.TOKEN_ISSUER, clock);
    return new ApiHandler(new TunnelRoutes(service, new BearerAuthenticator(verifier)),
        new OAuthTokenEndpoint(exchange, issuer), adminRoutes(audit, internalClients), internal);
  }

  /** The admin API, when the federation directory is the database's (AdminService writes through it). */
  private AdminRoutes adminRoutes(AuditLog audit, InternalClientService internalClients) {
    if (!(directory instanceof JdbcFederationDirectory jdbc)) {
      return null;
    }
    AdminService admin = new AdminService(database, audit, jdbc, history, clock);
    AdminAuthenticator operator = new AdminAuthenticator(AdminTokenFile.loadOrCreate(config.dataDirectory()));
    // Where the token is, never the token itself.
    LOG.info("admin API enabled path={} admin_token_file={}", AdminRoutes.PREFIX,
        config.dataDirectory().resolve(AdminTokenFile.FILE_NAME));
    return new AdminRoutes(admin, audit, operator, internalClients);
  }

  private static QueuedThreadPool threads() {
    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("control-plane-http");
    return pool;
  }

  /** The open database, for wiring the admin side onto the same store. */
  public synchronized Database database() {
    if (database == null) {
      throw new IllegalStateException("not started");
    }
    return database;
  }

  /** Completes (with true) once {@link #close()} has stopped the listener and the database. */
  public CompletableFuture<Boolean> closed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      // First: every parked long-poll answers now, while the pool and the database still run.
      watcher.close();
      watcher = null;
    }
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        LOG.warn("control plane HTTP stop failed reason={}", e.toString());
      }
      server = null;
    }
    if (database != null) {
      database.close();
      database = null;
    }
    closed.complete(true);
  }
}
