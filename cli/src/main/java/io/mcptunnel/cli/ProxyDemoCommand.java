package io.mcptunnel.cli;

import io.mcptunnel.common.HostPort;
import io.mcptunnel.common.SecureFiles;
import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.sample.SampleMcpServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mcptunnel proxy demo}: the proxy with nothing to set up. Makes a throwaway CA and server
 * certificate, starts the sample MCP server on loopback, writes a config routing to it with a
 * one-address allow list, and runs the proxy on that config until SIGTERM/SIGINT.
 */
@Command(name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {"Run the proxy in front of the sample MCP server, with throwaway TLS material.",
        "Everything stays on loopback; the files go to --dir (never use them for anything real)."})
public final class ProxyDemoCommand implements Callable<Integer> {
  static final String DOMAIN = "demo.mcptunnel.test";

  @Spec
  CommandSpec spec;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".mcptunnel-demo",
      description = "Where the demo CA, certificate, key and config are written (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
      description = "The proxy's WebSocket listener (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8081",
      description = "Health and metrics listener (default: ${DEFAULT-VALUE}).")
  String admin;

  @Override
  public Integer call() throws Exception {
    HostPort listenAddr = HostPort.parse(listen);
    SampleMcpServer mcp = SampleMcpServer.start("127.0.0.1");
    Path config = writeFiles(mcp.port(), listenAddr);
    ProxyConfig parsed = ProxyConfigParser.parse(config);
    PrintWriter err = spec.commandLine().getErr();
    err.printf("""
        mcptunnel proxy demo
          sample MCP server : %s/mcp (tools: echo, add, hello)
          proxy listener    : ws://%s/  (inner TLS for mcp.%s; CA: %s)
          config            : %s
          admin             : http://%s/healthz  /readyz  /metrics
        Call a tool through the proxy with the independent Node.js caller, for example:
          (cd proxy/src/test/node && npm ci) && node proxy/src/test/node/mcp-call.mjs %s mcp.%s %s echo '{"message":"hello"}'
        Ctrl-C stops it gracefully.
        """, mcp.url(), listenAddr, DOMAIN, dir.resolve("ca.crt"), config, admin,
        listenAddr, DOMAIN, dir.resolve("ca.crt"));
    err.flush();
    return ServeUntilSignal.serve(parsed, ProxyServer.Options.defaults(), null, () -> {
      try {
        mcp.close();
      } catch (Exception e) {
        // The process is ending; nothing useful to do with a failure to stop the demo server.
      }
    });
  }

  private Path writeFiles(int mcpPort, HostPort listenAddr) throws Exception {
    IssuedCertificate ca = CertificateIssuer.createCa("mcptunnel demo CA", Duration.ofDays(30), KeyPairs.ecP256());
    KeyPair serverKeys = KeyPairs.ecP256();
    var server = CertificateIssuer.issueServer(ca, serverKeys.getPublic(),
        List.of(DOMAIN, "*." + DOMAIN), Duration.ofDays(7));
    SecureFiles.write(dir.resolve("ca.crt"), PemFiles.toPem(ca.certificate()), SecureFiles.PUBLIC);
    SecureFiles.write(dir.resolve("tls.crt"), PemFiles.toPem(server), SecureFiles.PUBLIC);
    SecureFiles.write(dir.resolve("tls.key"), PemFiles.toPem(serverKeys.getPrivate()), SecureFiles.SECRET);
    // The demo CA's key is not kept: nothing else should ever be signed with it.
    Path config = dir.resolve("config.yaml");
    SecureFiles.write(config, """
        # Written by `mcptunnel proxy demo`. Throwaway material; do not reuse.
        listen_addr: "%s"
        admin_addr: "%s"
        log_format: text
        shutdown_timeout: 10s
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        routes:
          mcp: http://127.0.0.1:%d
        upstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(listenAddr, admin, DOMAIN, dir.resolve("tls.crt").toAbsolutePath(),
        dir.resolve("tls.key").toAbsolutePath(), mcpPort), SecureFiles.PUBLIC);
    return config;
  }
}
