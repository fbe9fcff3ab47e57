package io.mcptunnel.sample;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small real MCP server (the MCP Java SDK, streamable HTTP on Jetty) with an {@code echo} tool
 * that returns its {@code message} argument, an {@code add} tool and a {@code hello} tool answering
 * {@code Hello, <name>!}. Used by the demos ({@code proxy demo}, {@code quickstart}) and by tests.
 */
public final class SampleMcpServer implements AutoCloseable {
  public static final String ENDPOINT = "/mcp";

  private final Server jetty;
  private final McpSyncServer mcp;

  private SampleMcpServer(Server jetty, McpSyncServer mcp) {
    this.jetty = jetty;
    this.mcp = mcp;
  }

  /** Starts on {@code bindHost} and a free port. */
  public static SampleMcpServer start(String bindHost) throws Exception {
    return start(bindHost, 0);
  }

  public static SampleMcpServer start(String bindHost, int port) throws Exception {
    HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
        .mcpEndpoint(ENDPOINT)
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
    McpSyncServer mcp = McpServer.sync(transport)
        .serverInfo("mcptunnel-sample-server", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .tools(echo, add, hello)
        .build();

    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(bindHost);
    connector.setPort(port);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
    return new SampleMcpServer(jetty, mcp);
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

  @Override
  public void close() throws Exception {
    mcp.closeGracefully();
    jetty.stop();
  }
}
