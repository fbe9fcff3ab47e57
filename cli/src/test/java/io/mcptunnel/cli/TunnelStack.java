package io.mcptunnel.cli;

import static org.awaitility.Awaitility.await;

import io.mcptunnel.caller.CallerSettings;
import io.mcptunnel.caller.CallerTls;
import io.mcptunnel.caller.StaticTunnelCas;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.edge.callers.CallerAdmission;
import io.mcptunnel.edge.server.EdgeConfigParser;
import io.mcptunnel.edge.server.EdgeServer;
import io.mcptunnel.pki.Fingerprints;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.proxy.ProxyServer;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole tunnel on loopback, as an operator would run it: a proxy routing to the given upstreams,
 * an edge with a file registry, and a connector joining them; callers use the key or the files here.
 */
final class TunnelStack implements AutoCloseable {
  static final String DOMAIN = "abcd1234.tunnel.test";
  static final String CALLER_KEY = "ck_gateway_test_0123456789abcdef";

  final Path dir;
  final TestPki edgePki = TestPki.create("edge-ca");
  final TestPki tunnelPki = TestPki.create("tunnel-ca");
  final TestPki callerPki = TestPki.create("caller-ca");
  final Path edgeCa;
  final Path tunnelCa;
  final Path callerKeyFile;
  /** A client certificate and key that the edge pins to the caller "batch" (no caller key). */
  final Path clientCert;
  final Path clientKey;
  final ProxyServer proxy;
  final EdgeServer edge;
  final Connector connector;

  /** {@code routes}: route name → upstream URL, e.g. {@code mcp: http://127.0.0.1:1234}. */
  TunnelStack(Path dir, Map<String, String> routes) throws Exception {
    this(dir, routes, "");
  }

  /** {@code proxyExtra}: more of the proxy's configuration, e.g. a {@code policies:} map. */
  TunnelStack(Path dir, Map<String, String> routes, String proxyExtra) throws Exception {
    this.dir = dir;
    List<AutoCloseable> started = new ArrayList<>();
    try {
      edgeCa = edgePki.writeCa(dir.resolve("edge-ca.pem"));
      tunnelCa = tunnelPki.writeCa(dir.resolve("tunnel-ca.pem"));
      callerKeyFile = Files.writeString(dir.resolve("caller.key"), CALLER_KEY);
      IssuedCertificate batch = callerPki.client("batch");
      clientCert = dir.resolve("batch.crt");
      clientKey = dir.resolve("batch.key");
      TestPki.write(batch, clientCert, clientKey);
      Path callerCa = callerPki.writeCa(dir.resolve("caller-ca.pem"));
      TestPki.write(tunnelPki.server(DOMAIN, "*." + DOMAIN), dir.resolve("proxy.crt"), dir.resolve("proxy.key"));
      TestPki.write(edgePki.server("edge.test", "localhost"), dir.resolve("edge.crt"), dir.resolve("edge.key"));
      StringBuilder routeYaml = new StringBuilder();
      routes.forEach((name, url) -> routeYaml.append("  ").append(name).append(": ").append(url).append('\n'));
      proxy = ProxyServer.start(ProxyConfigParser.parse(write("proxy.yaml", """
          listen_addr: "127.0.0.1:0"
          admin_addr: "127.0.0.1:0"
          tunnel_domain: %s
          tls:
            cert_file: %s
            key_file: %s
          routes:
          %supstream:
            allowed_ips: [127.0.0.1/32]
          %s""".formatted(DOMAIN, dir.resolve("proxy.crt"), dir.resolve("proxy.key"), routeYaml, proxyExtra))),
          ProxyServer.Options.defaults());
      started.add(proxy::shutdown);
      TunnelToken token = TunnelToken.generate("tnl_gw", "tok_1");
      String ca = PemFiles.toPem(tunnelPki.ca().certificate()).replace("\n", "\n      ");
      write("tunnels.yaml", """
          tunnels:
            - id: tnl_gw
              domain: %s
              organization: org_1
              token_id: tok_1
              token_sha256: %s
              retired_token_ids: []
              archived: false
              ca_certificates: |
                %s
          """.formatted(DOMAIN, token.secretHash(), ca));
      edge = EdgeServer.start(EdgeConfigParser.parse(write("edge.yaml", """
          connector_listen: "127.0.0.1:0"
          caller_listen: "127.0.0.1:0"
          admin_addr: "127.0.0.1:0"
          tls:
            cert_file: %s
            key_file: %s
          registry_file: %s
          caller_tls:
            client_ca_file: %s
          callers:
            - name: backend
              organization: org_1
              key_sha256: "%s"
            - name: batch
              organization: org_1
              certificate_sha256: "%s"
          """.formatted(dir.resolve("edge.crt"), dir.resolve("edge.key"), dir.resolve("tunnels.yaml"), callerCa,
          CallerAdmission.sha256Hex(CALLER_KEY), Fingerprints.sha256Hex(batch.certificate())))));
      started.add(edge);
      String encoded = token.encode();
      connector = Connector.start(new ConnectorConfig(List.of(edge.connectorAddress()), "edge.test",
          Optional.of(edgeCa), () -> encoded, URI.create("ws://127.0.0.1:" + proxy.listenAddress().getPort() + "/"),
          2, Duration.ofSeconds(5), new InetSocketAddress("127.0.0.1", 0)));
      started.add(connector);
      await().atMost(Duration.ofSeconds(20)).until(() -> connector.liveConnections() == 2);
    } catch (Exception | Error e) {
      java.util.Collections.reverse(started);
      for (AutoCloseable c : started) {
        c.close();
      }
      throw e;
    }
  }

  /** The flags `caller gateway` and `call` need to reach this stack (the key comes from the file). */
  List<String> callerArgs() {
    return List.of("--edge", "localhost:" + edge.callerAddress().getPort(), "--edge-ca", edgeCa.toString(),
        "--caller-key-file", callerKeyFile.toString(), "--tunnel", DOMAIN + "=" + tunnelCa);
  }

  /** The same, authenticating by the pinned client certificate instead of a key. */
  List<String> certificateCallerArgs() {
    return List.of("--edge", "localhost:" + edge.callerAddress().getPort(), "--edge-ca", edgeCa.toString(),
        "--client-cert", clientCert.toString(), "--client-key", clientKey.toString(),
        "--tunnel", DOMAIN + "=" + tunnelCa);
  }

  CallerSettings callerSettings() {
    return new CallerSettings(List.of(new HostPort("localhost", edge.callerAddress().getPort())),
        CallerTls.edgeClient(Optional.of(edgeCa), Optional.empty(), Optional.empty()), CALLER_KEY,
        new StaticTunnelCas(Map.of(DOMAIN, PemFiles.readCertificates(tunnelCa))), 2);
  }

  Path write(String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    connector.close();
    edge.close();
    proxy.shutdown();
  }
}
