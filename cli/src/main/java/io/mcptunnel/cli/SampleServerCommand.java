package io.mcptunnel.cli;

import ch.qos.logback.classic.Level;
import io.mcptunnel.cli.logging.LogSetup;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.sample.oauth.OAuthResourceConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel sample-server}: the sample MCP server for demos and audits, until SIGTERM/SIGINT.
 * With {@code --oauth-issuer} it is an OAuth resource server for the public {@code --resource} URL,
 * which is what {@code mcptunnel audit} probes for behind a tunnel.
 */
@Command(name = "sample-server",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Run the sample MCP server (tools echo, add, hello) on HOST:PORT at /mcp until SIGTERM/SIGINT.",
        "With --oauth-issuer, --oauth-jwks-url and --resource every MCP request needs a bearer token for --resource "
            + "(its public URL, e.g. https://<route>.<tunnel-domain>/mcp), and "
            + "/.well-known/oauth-protected-resource[/mcp] publishes where to get one."})
public final class SampleServerCommand implements Callable<Integer> {
  /** Builder setting names as the options that feed them, so a refusal names what the user typed. */
  private static final Map<String, String> OPTION_OF = Map.of("resource", "--resource", "issuer", "--oauth-issuer",
      "jwks_url", "--oauth-jwks-url", "scope", "--scope");

  @Spec
  CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8090",
      description = "Where the server listens (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--oauth-issuer", paramLabel = "URL",
      description = "An authorization server whose tokens are accepted (its iss); repeatable.")
  List<String> issuers;

  @Option(names = "--oauth-jwks-url", paramLabel = "URL", description = "Where the issuers' signing keys are published.")
  String jwksUrl;

  @Option(names = "--resource", paramLabel = "URL",
      description = "The public URL of the MCP endpoint; tokens must name it in aud (RFC 8707).")
  String resource;

  @Option(names = "--scope", paramLabel = "SCOPE",
      description = "A scope every token must carry; repeatable (default: mcp:tools).")
  List<String> scopes;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Log format, json or text (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Override
  public Integer call() throws Exception {
    HostPort address = listenAddress();
    OAuthResourceConfig oauth = oauthConfig();
    LogSetup.configure(Level.INFO, logFormat);
    return RunUntilSignal.run(() -> start(address, oauth), server -> {
      try {
        server.close();
        return true;
      } catch (Exception e) {
        return false;
      }
    }, SampleMcpServer::stopped);
  }

  private SampleMcpServer start(HostPort address, OAuthResourceConfig oauth) throws Exception {
    SampleMcpServer server;
    try {
      server = SampleMcpServer.start(address.anyInterface() ? null : address.host(), address.port(), oauth);
    } catch (IOException e) {
      throw new McptunnelException("--listen " + listen + ": cannot listen (" + e.getMessage() + ")");
    }
    PrintWriter err = spec.commandLine().getErr();
    String host = address.anyInterface() ? "127.0.0.1" : address.host();
    String local = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
    err.printf("mcptunnel sample-server%n  MCP endpoint : %s%s (tools: echo, add, hello%s)%n", local,
        SampleMcpServer.ENDPOINT, oauth == null ? "" : ", whoami");
    if (oauth == null) {
      err.printf("  OAuth        : off (anyone who reaches it may call the tools)%n");
    } else {
      err.printf("  resource     : %s (scopes: %s; issuers: %s)%n  metadata     : %s (served here at %s%s)%n",
          oauth.resource(), String.join(" ", oauth.requiredScopes()), String.join(" ", oauth.issuers()),
          oauth.metadataUrl(), local, oauth.metadataPath());
    }
    err.printf("Ctrl-C stops it.%n");
    err.flush();
    return server;
  }

  private HostPort listenAddress() {
    try {
      return HostPort.parse(listen);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--listen " + listen + ": " + e.getMessage());
    }
  }

  /** Null without OAuth options; with any of them, all three of issuer, JWKS URL and resource. */
  OAuthResourceConfig oauthConfig() {
    boolean any = issuers != null || jwksUrl != null || resource != null || scopes != null;
    if (!any) {
      return null;
    }
    for (String[] required : new String[][] {{"--oauth-issuer", issuers == null ? null : "set"},
        {"--oauth-jwks-url", jwksUrl}, {"--resource", resource}}) {
      if (required[1] == null) {
        throw new ParameterException(spec.commandLine(),
            "OAuth mode needs --oauth-issuer, --oauth-jwks-url and --resource; missing " + required[0]);
      }
    }
    OAuthResourceConfig.Builder b = OAuthResourceConfig.builder().resource(resource).jwksUrl(jwksUrl);
    issuers.forEach(b::issuer);
    if (scopes != null) {
      scopes.forEach(b::requiredScope);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      int colon = message.indexOf(':');
      String option = colon < 0 ? null : OPTION_OF.get(message.substring(0, colon));
      throw new ParameterException(spec.commandLine(), option == null ? message : option + message.substring(colon));
    }
  }
}
