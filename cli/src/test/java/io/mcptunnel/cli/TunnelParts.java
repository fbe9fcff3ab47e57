package io.mcptunnel.cli;

import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.edge.server.EdgeConfigParser;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data-path parts an operator runs next to a control plane, each started from the same files
 * and settings a real deployment would use: a proxy for one tunnel domain, an edge that follows the
 * control plane, and a connector holding a revealed tunnel token.
 */
final class TunnelParts {
  static final String EDGE_NAME = "edge.test";
  static final String CALLER_KEY = "ck_control_plane_e2e_0123456789abcdef";

  private TunnelParts() {}

  /** A proxy serving {@code domain} with a server certificate from {@code tenantPki}. */
  static ProxyServer proxy(Path dir, String domain, TestPki tenantPki, Map<String, String> routes) throws Exception {
    Path cert = dir.resolve("proxy.crt");
    Path key = dir.resolve("proxy.key");
    TestPki.write(tenantPki.server(domain, "*." + domain), cert, key);
    StringBuilder routeYaml = new StringBuilder();
    routes.forEach((name, url) -> routeYaml.append("  ").append(name).append(": ").append(url).append('\n'));
    return ProxyServer.start(ProxyConfigParser.parse(write(dir, "proxy.yaml", """
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        routes:
        %supstream:
          allowed_ips: [127.0.0.1/32]
        """.formatted(domain, cert, key, routeYaml))), ProxyServer.Options.defaults());
  }

  /**
   * An edge taking tunnel state from the control plane at {@code controlPlane}, with one caller
   * ("backend", {@link #CALLER_KEY}) of {@code callerOrganization}. Writes {@code <name>.yaml}.
   */
  static EdgeServer edge(Path dir, String name, TestPki edgePki, URI controlPlane, Path credentialFile,
      String callerOrganization) throws Exception {
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    TestPki.write(edgePki.server(EDGE_NAME, "localhost"), cert, key);
    return EdgeServer.start(EdgeConfigParser.parse(write(dir, name + ".yaml", """
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
          - name: backend
            organization: %s
            key_sha256: "%s"
        """.formatted(cert, key, controlPlane, credentialFile, callerOrganization,
        CallerAdmission.sha256Hex(CALLER_KEY)))));
  }

  /** A connector with {@code haConnections} connections spread over {@code edges}. */
  static Connector connector(List<InetSocketAddress> edges, Path edgeCa, String tunnelToken, ProxyServer proxy,
      int haConnections) {
    return Connector.start(new ConnectorConfig(edges, EDGE_NAME, Optional.of(edgeCa), () -> tunnelToken,
        URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/"), haConnections,
        Duration.ofSeconds(5), new InetSocketAddress("127.0.0.1", 0)));
  }

  static Path write(Path dir, String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
