package io.mcptunnel.cli;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real MCP server (the Java SDK's streamable HTTP servlet) behind a minimal OAuth resource-server
 * gate: requests without the expected Bearer token get 401 with
 * {@code WWW-Authenticate: Bearer resource_metadata="…"}, and the RFC 9728 metadata is served at
 * {@code /.well-known/oauth-protected-resource/mcp}. Stands in for the sample server's OAuth mode,
 * which is being built on another branch; it checks a fixed token, not a signed one.
 */
final class OAuthMcpStandIn implements AutoCloseable {
  private final Server jetty;

  private OAuthMcpStandIn(Server jetty) {
    this.jetty = jetty;
  }

  /** @param publicHost the route's public name, e.g. {@code echo.t1.example} */
  static OAuthMcpStandIn start(String publicHost, String token) throws Exception {
    var transport = HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
    var mapper = McpJsonDefaults.getMapper();
    McpServer.sync(transport)
        .serverInfo("audit-oauth-stand-in", "1.0.0")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
        .tools(tool("echo", mapper), tool("add", mapper))
        .build();
    String metadataUrl = "https://" + publicHost + "/.well-known/oauth-protected-resource/mcp";
    String metadata = "{\"resource\":\"https://" + publicHost + "/mcp\",\"authorization_servers\":[\"https://auth.example\"]}";
    Filter gate = (req, res, chain) -> {
      HttpServletRequest in = (HttpServletRequest) req;
      HttpServletResponse out = (HttpServletResponse) res;
      if (in.getRequestURI().equals("/.well-known/oauth-protected-resource/mcp")) {
        out.setContentType("application/json");
        out.getOutputStream().write(metadata.getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!("Bearer " + token).equals(in.getHeader("Authorization"))) {
        out.setStatus(401);
        out.setHeader("WWW-Authenticate", "Bearer resource_metadata=\"" + metadataUrl + "\"");
        return;
      }
      chain.doFilter(req, res);
    };
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder holder = new ServletHolder(transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
    return new OAuthMcpStandIn(jetty);
  }

  private static SyncToolSpecification tool(String name, io.modelcontextprotocol.json.McpJsonMapper mapper) {
    return SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder(name, mapper, "{\"type\":\"object\",\"properties\":{}}").description(name).build())
        .callHandler((exchange, req) -> McpSchema.CallToolResult.builder().addTextContent(name).build())
        .build();
  }

  int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }
}
