package io.mcptunnel.ops.audit;

import io.mcptunnel.proxy.config.Upstream;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** Lists a route's tools with the official MCP Java SDK client, following {@code nextCursor} pages. */
final class ToolLister {
  private ToolLister() {}

  /**
   * A plain upstream is reached at its validated address; an https one by name (the JDK client
   * needs the name to check the certificate).
   */
  static List<String> list(Upstream upstream, InetAddress address, SSLContext tls, String path,
      Optional<String> bearer, Duration timeout) {
    String base = upstream.tls() ? upstream.toString()
        : "http://" + (address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
            : address.getHostAddress()) + ":" + upstream.port();
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(timeout);
    if (upstream.tls()) {
      client.sslContext(tls);
    }
    var transport = HttpClientStreamableHttpTransport.builder(base)
        .endpoint(path)
        .clientBuilder(client)
        .httpRequestCustomizer((request, method, uri, body, context) ->
            bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t)))
        .build();
    McpSyncClient mcp = McpClient.sync(transport).requestTimeout(timeout).build();
    try {
      mcp.initialize();
      List<String> names = new ArrayList<>();
      String cursor = null;
      do {
        McpSchema.ListToolsResult page = cursor == null ? mcp.listTools() : mcp.listTools(cursor);
        page.tools().forEach(t -> names.add(t.name()));
        cursor = page.nextCursor();
      } while (cursor != null);
      return names.stream().sorted().toList();
    } finally {
      mcp.closeGracefully();
    }
  }
}
