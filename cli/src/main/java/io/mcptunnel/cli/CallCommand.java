package io.mcptunnel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.TunnelCaller;
import io.mcptunnel.caller.gateway.CallerGateway;
import io.mcptunnel.caller.gateway.GatewayTarget;
import io.mcptunnel.common.McptunnelException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel call https://<route>.<tunnel-domain>/<path> --tool NAME --args JSON}: one MCP
 * tool call through the tunnel, made by the MCP Java SDK client over a private caller gateway on an
 * ephemeral loopback port. Prints the tool's text content; exits 1 when the tool reports an error.
 */
@Command(name = "call",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Call one MCP tool on a server behind a tunnel and print its result.",
        "Tunnels' CA certificates come from --tunnel DOMAIN=CA_FILE or from the control plane "
            + "(--control-plane-url with --control-plane-credential-file)."})
public final class CallCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec
  CommandSpec spec;

  @Mixin
  CallerOptions caller;

  @Parameters(index = "0", paramLabel = "URL", description = "https://<route>.<tunnel-domain>/<path>, e.g. "
      + "https://mcp.abcd1234.tunnel.example.com/mcp")
  String url;

  @Option(names = "--tool", required = true, paramLabel = "NAME", description = "The tool to call.")
  String tool;

  @Option(names = "--args", paramLabel = "JSON", defaultValue = "{}",
      description = "The tool's arguments as a JSON object (default: ${DEFAULT-VALUE}).")
  String args;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s", converter = GoDurationConverter.class,
      description = "How long the call may take (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    String gatewayPath = gatewayPath(url);
    Map<String, Object> arguments = arguments(args);
    CallerSettings settings = caller.settings();
    PrintWriter out = spec.commandLine().getOut();
    try (TunnelCaller tunnels = TunnelCaller.start(settings);
         CallerGateway gateway = CallerGateway.start(tunnels,
             new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      var transport = HttpClientStreamableHttpTransport
          .builder("http://127.0.0.1:" + gateway.address().getPort())
          .endpoint(gatewayPath)
          .connectTimeout(timeout)
          .build();
      McpSyncClient client = McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(timeout)
          .clientInfo(new McpSchema.Implementation("mcptunnel-call", VersionProvider.version())).build();
      try {
        client.initialize();
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        print(result, out);
        out.flush();
        if (Boolean.TRUE.equals(result.isError())) {
          spec.commandLine().getErr().println("the tool reported an error");
          return ExitHandler.FAILURE;
        }
        return 0;
      } catch (RuntimeException e) {
        throw new McptunnelException("the call failed: " + rootMessage(e), e);
      } finally {
        client.closeGracefully();
      }
    }
  }

  /** The https URL of a tunnel host as a gateway path, {@code /<host>/<path>}. */
  static String gatewayPath(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new McptunnelException("URL: not a URL; expected https://<route>.<tunnel-domain>/<path>");
    }
    if (!"https".equals(String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT)) || u.getHost() == null
        || u.getRawUserInfo() != null || u.getRawFragment() != null || (u.getPort() != -1 && u.getPort() != 443)) {
      throw new McptunnelException("URL: expected https://<route>.<tunnel-domain>/<path> (no user info, port "
          + "or fragment)");
    }
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String target = "/" + u.getHost().toLowerCase(Locale.ROOT) + path
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    if (!GatewayTarget.parse(target).ok()) {
      throw new McptunnelException("URL: " + u.getHost() + " is not a tunnel host name, <route>.<tunnel-domain>");
    }
    return target;
  }

  static Map<String, Object> arguments(String json) {
    try {
      Object parsed = JSON.readValue(json, Object.class);
      if (!(parsed instanceof Map)) {
        throw new McptunnelException("--args: expected a JSON object, e.g. {\"name\": \"value\"}");
      }
      return JSON.convertValue(parsed, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new McptunnelException("--args: not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static void print(McpSchema.CallToolResult result, PrintWriter out) throws JsonProcessingException {
    boolean printed = false;
    for (McpSchema.Content c : result.content()) {
      if (c instanceof McpSchema.TextContent t) {
        out.println(t.text());
        printed = true;
      }
    }
    if (!printed && result.structuredContent() != null) {
      out.println(JSON.writeValueAsString(result.structuredContent()));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
  }
}
