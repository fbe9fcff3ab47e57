package io.mcptunnel.sample;

import io.mcptunnel.sample.oauth.AccessTokenVerifier;
import io.mcptunnel.sample.oauth.BearerAuthFilter;
import io.mcptunnel.sample.oauth.OAuthResourceConfig;
import io.mcptunnel.sample.oauth.ProtectedResourceMetadata;
import io.mcptunnel.sample.oauth.ProtectedResourceMetadataServlet;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small real MCP server (the MCP Java SDK, streamable HTTP on Jetty) with an {@code echo} tool
 * that returns its {@code message} argument, an {@code add} tool and a {@code hello} tool answering
 * {@code Hello, <name>!}. Used by the demos ({@code proxy demo}, {@code quickstart}) and by tests.
 *
 * <p>Started with an {@link OAuthResourceConfig} it is an OAuth resource server (MCP authorization
 * 2025-11-25): every MCP request needs a valid bearer token for its public resource URL, the
 * protected-resource metadata is served at {@code /.well-known/oauth-protected-resource[/mcp]}, and
 * a {@code whoami} tool answers the token's subject.
 */
public final class SampleMcpServer implements AutoCloseable {
  public static final String ENDPOINT = "/mcp";

  private static final String SUBJECT_KEY = "sub";

  private final Server jetty;
  private final McpSyncServer mcp;
  private final CompletableFuture<Boolean> stopped = new CompletableFuture<>();

  private SampleMcpServer(Server jetty, McpSyncServer mcp) {
    this.jetty = jetty;
    this.mcp = mcp;
  }

  /** Starts on {@code bindHost} and a free port. */
  public static SampleMcpServer start(String bindHost) throws Exception {
    return start(bindHost, 0);
  }

  public static SampleMcpServer start(String bindHost, int port) throws Exception {
    return start(bindHost, port, null);
  }

  /** Starts as an OAuth resource server when {@code oauth} is not null, else open to anyone. */
  public static SampleMcpServer start(String bindHost, int port, OAuthResourceConfig oauth) throws Exception {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint(ENDPOINT)
        // Hands the subject the BearerAuthFilter accepted to the tools (whoami).
        .contextExtractor(request -> request.getAttribute(BearerAuthFilter.SUBJECT) instanceof String sub
            ? McpTransportContext.create(Map.of(SUBJECT_KEY, sub)) : McpTransportContext.EMPTY)
        .build();
    var mapper = McpJsonDefaults.getMapper();
    SyncToolSpecification echo = SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder("echo", mapper, """
                {"type":"object","properties":{"message":{"type":"string"}},"required":["message"]}""")
            .description("Returns the message it is given")
            .build())
        .callHandler((exchange, req) -> McpSchema.CallToolResult.builder()
            .addTextContent(String.valueOf(req.arguments().get("message"))).build())
        .build();
    SyncToolSpecification add = SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder("add", mapper, """
                {"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]}""")
            .description("Adds two numbers")
            .build())
        .callHandler((exchange, req) -> {
          Map<String, Object> args = req.arguments();
          double sum = ((Number) args.get("a")).doubleValue() + ((Number) args.get("b")).doubleValue();
          return McpSchema.CallToolResult.builder().addTextContent(Double.toString(sum)).build();
        })
        .build();
    SyncToolSpecification hello = SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder("hello", mapper, """
                {"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}""")
            .description("Greets the given name")
            .build())
        .callHandler((exchange, req) -> McpSchema.CallToolResult.builder()
            .addTextContent(greeting(req.arguments().get("name"))).build())
        .build();
    List<SyncToolSpecification> tools = new ArrayList<>(List.of(echo, add, hello));
    if (oauth != null) {
      tools.add(SyncToolSpecification.builder()
          .tool(McpSchema.Tool.builder("whoami", mapper, """
                  {"type":"object","properties":{}}""")
              .description("Returns the subject (sub) of the caller's access token")
              .build())
          .callHandler((exchange, req) -> McpSchema.CallToolResult.builder()
              .addTextContent(String.valueOf(exchange.transportContext().get(SUBJECT_KEY))).build())
          .build());
    }
    McpSyncServer mcp = McpServer.sync(transport)
        .serverInfo("mcptunnel-sample-server", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .tools(tools)
        .build();

    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(bindHost);
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder("mcp", transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    if (oauth != null) {
      protect(context, holder, oauth);
    }
    jetty.setHandler(context);
    try {
      jetty.start();
    } catch (Exception e) {
      // e.g. the port is taken: release what was built, so the caller can report and exit cleanly.
      mcp.close();
      jetty.stop();
      throw e;
    }
    return new SampleMcpServer(jetty, mcp);
  }

  /**
   * The filter is bound to the MCP servlet by name, not by path, so no path spelling reaches the MCP
   * transport around it; only the metadata servlets are open.
   */
  private static void protect(ServletContextHandler context, ServletHolder mcpServlet, OAuthResourceConfig oauth) {
    for (String path : new LinkedHashSet<>(List.of(ProtectedResourceMetadata.WELL_KNOWN, oauth.metadataPath()))) {
      context.addServlet(new ServletHolder(new ProtectedResourceMetadataServlet(oauth)), path);
    }
    FilterHolder filter = new FilterHolder(new BearerAuthFilter(oauth, new AccessTokenVerifier(oauth, Clock.systemUTC())));
    filter.setName("oauth-bearer");
    filter.setAsyncSupported(true);
    FilterMapping mapping = new FilterMapping();
    mapping.setFilterName(filter.getName());
    mapping.setServletName(mcpServlet.getName());
    mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    context.getServletHandler().addFilter(filter, mapping);
  }

  /** What the {@code hello} tool answers: {@code Hello, <name>!}. */
  public static String greeting(Object name) {
    return "Hello, " + name + "!";
  }

  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Completes with true once {@link #close()} has stopped the server. */
  public CompletableFuture<Boolean> stopped() {
    return stopped;
  }

  @Override
  public void close() throws Exception {
    try {
      mcp.closeGracefully();
      jetty.stop();
    } finally {
      stopped.complete(true);
    }
  }
}
