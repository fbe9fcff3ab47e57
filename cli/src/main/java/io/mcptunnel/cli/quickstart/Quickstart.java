package io.mcptunnel.cli.quickstart;

import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.CallerTls;
import io.mcptunnel.caller.ControlPlaneTunnelCas;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.common.SecureFiles;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.controlplane.api.ControlPlaneConfig;
import io.mcptunnel.controlplane.api.ControlPlaneServer;
import io.mcptunnel.controlplane.federation.IssuerUrlPolicy;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.edge.server.EdgeConfigParser;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyType;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.TunnelCertificates;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.setup.ApiEndpoint;
import io.mcptunnel.setup.DirectoryOutput;
import io.mcptunnel.setup.FederationCredentials;
import io.mcptunnel.setup.OutputKeys;
import io.mcptunnel.setup.SetupInit;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every part of the system in one process, on loopback, set up the way an operator and a tenant
 * would: a control plane on the embedded database, onboarding through its admin API, an edge that
 * follows it, {@code setup init} with a workload identity token from a local issuer, then proxy,
 * connector, a sample MCP server and a caller gateway, and one {@code hello} call through the
 * tunnel. Each step prints one line as it completes; {@link #close()} stops what was started, in
 * reverse order, and may be called from a shutdown hook while {@link #start()} is still running.
 */
public final class Quickstart implements AutoCloseable {
  public static final String ZONE = "tunnels.quickstart.test";
  public static final String ROUTE = "mcp";
  public static final String GREETED = "tunnel";
  static final int STEPS = 9;
  /** The name the edge's certificate carries and the connector and caller check. */
  static final String EDGE_NAME = "localhost";
  private static final Logger LOG = LoggerFactory.getLogger(Quickstart.class);

  public record Options(Path dir, int gatewayPort) {}

  private record Part(String name, AutoCloseable stop) {}

  private final Options options;
  private final Path dir;
  private final PrintWriter out;
  private final Clock clock = Clock.systemUTC();
  private final Deque<Part> parts = new ArrayDeque<>();
  private boolean closed;
  private int step;
  private String domain;
  private CallerGateway gateway;

  public Quickstart(Options options, PrintWriter out) {
    this.options = options;
    this.dir = options.dir().toAbsolutePath().normalize();
    this.out = out;
  }

  /** Creates the working folder (0700); call before logging goes there. */
  public static Path prepare(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    privateDirectory(abs);
    return abs;
  }

  /** Starts every part and calls {@code hello}; returns the answer. On failure, the caller closes. */
  public String start() throws Exception {
    // 1. Control plane.
    Path cpData = privateDirectory(dir.resolve("control-plane"));
    ControlPlaneServer cp = new ControlPlaneServer(new ControlPlaneConfig(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), cpData, null, ZONE, 10),
        IssuerUrlPolicy.PRODUCTION, clock);
    InetSocketAddress cpAddress = cp.start();
    add("control plane", cp);
    URI cpUrl = URI.create("http://127.0.0.1:" + cpAddress.getPort());
    step("control plane listening on %s (data in %s)", cpUrl, cpData);

    // 2. Local OIDC issuer, onboarding through the admin API.
    Path credentials = privateDirectory(dir.resolve("credentials"));
    Path edgeCredential = credentials.resolve("edge.credential");
    Path callerCredential = credentials.resolve("caller.credential");
    LocalIssuer issuer = LocalIssuer.loadOrCreate(credentials.resolve("issuer-key.jwk"));
    Onboarding.State state = Onboarding.read(dir);
    if (state == null) {
      String adminToken = Files.readString(cpData.resolve("admin.token")).trim();
      state = new Onboarding(cpUrl, adminToken).onboard(issuer, dir, edgeCredential, callerCredential);
      step("onboarded organization %s: issuer %s, federation rule %s (subject %s), internal clients edge and caller",
          state.organization(), LocalIssuer.ISSUER, state.rule(), LocalIssuer.SUBJECT);
    } else {
      for (Path required : List.of(edgeCredential, callerCredential)) {
        if (!Files.exists(required)) {
          throw new McptunnelException(required + " is missing; remove " + dir + " to start over");
        }
      }
      step("reusing organization %s and federation rule %s (from %s)", state.organization(), state.rule(),
          dir.resolve(Onboarding.STATE_FILE));
    }

    // 3. Edge following the control plane.
    Path edgeDir = privateDirectory(dir.resolve("edge"));
    Path edgeCa = edgeDir.resolve("ca.crt");
    String callerKey = callerKey(credentials.resolve("caller.key"));
    EdgeServer edge = EdgeServer.start(EdgeConfigParser.parse(edgeConfig(edgeDir, edgeCa, cpUrl, edgeCredential,
        state.organization(), callerKey)));
    add("edge", edge);
    step("edge: connectors on %s, callers on %s (tunnel state from the control plane)",
        hostPort(edge.connectorAddress()), hostPort(edge.callerAddress()));

    // 4. setup init, as a tenant's workload would run it.
    Path identityToken = credentials.resolve("identity-token");
    SecureFiles.write(identityToken, issuer.identityToken(clock), SecureFiles.SECRET);
    DirectoryOutput output = new DirectoryOutput(dir.resolve("tunnel"));
    SetupInit.Result setup = new SetupInit(clock, line -> LOG.info("setup init: {}", line)).run(new SetupInit.Options(
        new ApiEndpoint(cpUrl, null),
        new FederationCredentials(state.rule(), state.organization(), state.workspace(),
            Files.readString(identityToken).trim()),
        output, null, null, null));
    domain = setup.domain();
    step("setup init: %s tunnel %s (domain %s), CA %s, files in %s",
        setup.tunnelCreated() ? "created" : "reused", setup.tunnelId(), domain, setup.caCertificateId(),
        output.directory());

    // 5. Sample MCP server.
    SampleMcpServer mcp = SampleMcpServer.start("127.0.0.1");
    add("sample MCP server", mcp);
    step("sample MCP server on %s%s (tools: echo, add, hello)", mcp.url(), SampleMcpServer.ENDPOINT);

    // 6. Proxy.
    ProxyServer proxy = ProxyServer.start(ProxyConfigParser.parse(proxyConfig(output.directory(), mcp)),
        ProxyServer.Options.defaults());
    add("proxy", proxy::shutdown);
    step("proxy on ws://%s (route %s.%s -> %s)", hostPort(proxy.listenAddress()), ROUTE, domain, mcp.url());

    // 7. Connector.
    String token = Files.readString(output.directory().resolve(OutputKeys.TUNNEL_TOKEN)).trim();
    Connector connector = Connector.start(new ConnectorConfig(List.of(edge.connectorAddress()), EDGE_NAME,
        Optional.of(edgeCa), () -> token, URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/"),
        2, Duration.ofSeconds(5), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
    add("connector", connector);
    awaitConnected(connector);
    step("connector: %d connections to the edge for tunnel %s", connector.liveConnections(), setup.tunnelId());

    // 8. Caller gateway.
    TunnelCaller caller = TunnelCaller.start(new CallerSettings(
        List.of(new HostPort(EDGE_NAME, edge.callerAddress().getPort())),
        CallerTls.edgeClient(Optional.of(edgeCa), Optional.empty(), Optional.empty()), callerKey,
        ControlPlaneTunnelCas.create(cpUrl, Files.readString(callerCredential).trim(), Optional.empty(), clock), 2));
    add("caller", caller);
    try {
      gateway = CallerGateway.start(caller, new InetSocketAddress(InetAddress.getLoopbackAddress(),
          options.gatewayPort()));
    } catch (McptunnelException e) {
      throw new McptunnelException("caller gateway: " + e.getMessage()
          + " (choose another port with --gateway-port, 0 for any free one)", e);
    }
    CallerGateway started = gateway;
    add("caller gateway", () -> started.close(Duration.ZERO));
    step("caller gateway on http://%s (caller \"quickstart\", tunnel CAs from the control plane)",
        hostPort(gateway.address()));

    // 9. One call through the tunnel.
    String answer = callHello(GREETED);
    step("called hello {\"name\":\"%s\"} through the tunnel: %s", GREETED, answer);
    return answer;
  }

  /** The step that is running (or failed): one more than the steps completed. */
  public synchronized String currentStep() {
    return Math.min(step + 1, STEPS) + "/" + STEPS;
  }

  /** {@code http://127.0.0.1:PORT/<route>.<domain>/mcp}, for any MCP client. */
  public String gatewayUrl() {
    return "http://" + hostPort(gateway.address()) + "/" + ROUTE + "." + domain + SampleMcpServer.ENDPOINT;
  }

  /** Calls the sample server's {@code hello} through the gateway, edge, connector and proxy. */
  public String callHello(String name) {
    McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
            .builder("http://" + hostPort(gateway.address()))
            .endpoint("/" + ROUTE + "." + domain + SampleMcpServer.ENDPOINT).build())
        .requestTimeout(Duration.ofSeconds(30)).initializationTimeout(Duration.ofSeconds(30)).build();
    try {
      client.initialize();
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("hello", Map.of("name", name)));
      if (Boolean.TRUE.equals(result.isError()) || result.content().isEmpty()
          || !(result.content().get(0) instanceof McpSchema.TextContent text)) {
        throw new McptunnelException("hello answered without text: " + result);
      }
      return text.text();
    } finally {
      client.closeGracefully();
    }
  }

  private synchronized void step(String format, Object... args) {
    step++;
    out.printf("[%d/%d] %s%n", step, STEPS, String.format(format, args));
    out.flush();
  }

  /** Registers a started part; if {@link #close()} already ran (a signal), stops it at once. */
  private void add(String name, AutoCloseable part) throws Exception {
    boolean late;
    synchronized (this) {
      late = closed;
      if (!late) {
        parts.push(new Part(name, part));
      }
    }
    if (late) {
      part.close();
      throw new McptunnelException("quickstart: stopped while starting");
    }
  }

  /** Stops every started part, the last started first; safe to call more than once. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    while (true) {
      Part part;
      synchronized (this) {
        part = parts.poll();
      }
      if (part == null) {
        return;
      }
      try {
        part.stop().close();
      } catch (Exception e) {
        LOG.warn("quickstart: stopping {} failed reason={}", part.name(), e.toString());
      }
    }
  }

  private static void awaitConnected(Connector connector) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (connector.liveConnections() == 0) {
      if (System.nanoTime() > deadline) {
        throw new McptunnelException("the connector did not connect to the edge within 30 s (see quickstart.log)");
      }
      Thread.sleep(50);
    }
  }

  private Path edgeConfig(Path edgeDir, Path edgeCa, URI cpUrl, Path credential, String organization,
      String callerKey) throws IOException {
    // A throwaway edge CA per run: its key is never kept, only its certificate (for connector and caller).
    IssuedCertificate ca = TunnelCertificates.newCa("mcptunnel quickstart edge CA", KeyType.ECDSA_P256,
        Duration.ofDays(30));
    // The edge is reached as "localhost", a name the tunnel-certificate rules (dotted names) do not take.
    KeyPair serverKeys = KeyType.ECDSA_P256.generate();
    X509Certificate server = CertificateIssuer.issueServer(ca, serverKeys.getPublic(), List.of(EDGE_NAME),
        Duration.ofDays(7));
    Path cert = edgeDir.resolve("tls.crt");
    Path key = edgeDir.resolve("tls.key");
    SecureFiles.write(edgeCa, PemFiles.toPem(ca.certificate()), SecureFiles.PUBLIC);
    SecureFiles.write(key, PemFiles.toPem(serverKeys.getPrivate()), SecureFiles.SECRET);
    SecureFiles.write(cert, PemFiles.toPem(server), SecureFiles.PUBLIC);
    Path config = edgeDir.resolve("edge.yaml");
    SecureFiles.write(config, """
        # Written by `mcptunnel quickstart`; rewritten on every run.
        connector_listen: "127.0.0.1:0"
        caller_listen: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        tls:
          cert_file: %s
          key_file: %s
        control_plane:
          url: "%s"
          credential_file: %s
        callers:
          - name: quickstart
            organization: %s
            key_sha256: "%s"
            allowed_sources: [127.0.0.1/32]
        """.formatted(cert, key, cpUrl, credential, organization, CallerAdmission.sha256Hex(callerKey)),
        SecureFiles.PUBLIC);
    return config;
  }

  private Path proxyConfig(Path tunnelDir, SampleMcpServer mcp) throws IOException {
    Path proxyDir = privateDirectory(dir.resolve("proxy"));
    Path config = proxyDir.resolve("config.yaml");
    SecureFiles.write(config, """
        # Written by `mcptunnel quickstart`; rewritten on every run.
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        shutdown_timeout: 5s
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        routes:
          %s: %s
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(domain, tunnelDir.resolve(OutputKeys.TLS_CRT), tunnelDir.resolve(OutputKeys.TLS_KEY),
        ROUTE, mcp.url()), SecureFiles.PUBLIC);
    return config;
  }

  /** The caller key in {@code file}, or a new random one written there (0600). */
  private static String callerKey(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).trim();
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String key = "ck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    SecureFiles.write(file, key, SecureFiles.SECRET);
    return key;
  }

  private static Path privateDirectory(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      Files.createDirectories(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return path;
  }

  private static String hostPort(InetSocketAddress address) {
    return "127.0.0.1:" + address.getPort();
  }
}
