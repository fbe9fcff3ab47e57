package io.mcptunnel.proxy;

import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.netty.Transports;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import io.mcptunnel.testing.TestCaller;
import io.mcptunnel.testing.TestPki;
import io.netty.channel.EventLoopGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Starts a real proxy on loopback with a throwaway PKI, and opens test callers to it. */
final class ProxyHarness implements AutoCloseable {
  static final String DOMAIN = "abcd1234.tunnel.test";

  final TestPki pki = TestPki.create("harness-ca");
  final Path dir;
  final Path certFile;
  final Path keyFile;
  final EventLoopGroup callers = Transports.group("test-callers", 2);
  ProxyServer proxy;

  ProxyHarness(Path dir) {
    this.dir = dir;
    this.certFile = dir.resolve("tls.crt");
    this.keyFile = dir.resolve("tls.key");
    TestPki.write(serverCert(), certFile, keyFile);
  }

  IssuedCertificate serverCert() {
    return pki.server(DOMAIN, "*." + DOMAIN);
  }

  /** Starts the proxy with {@code routesAndUpstream} appended to a base config. */
  Duration idleSessionTimeout = Duration.ofMinutes(10);

  ProxyServer start(String routesAndUpstream, HostResolver resolver) throws Exception {
    String yaml = """
        listen_addr: "127.0.0.1:0"
        admin_addr: "127.0.0.1:0"
        shutdown_timeout: 10s
        tunnel_domain: %s
        tls:
          cert_file: %s
          key_file: %s
        """.formatted(DOMAIN, certFile, keyFile) + routesAndUpstream;
    Path config = Files.writeString(dir.resolve("config.yaml"), yaml);
    ProxyConfig parsed = ProxyConfigParser.parse(config);
    proxy = ProxyServer.start(parsed, ProxyServer.Options.defaults()
        .withResolver(resolver)
        .withCertPollInterval(Duration.ofHours(1))
        .withIdleSessionTimeout(idleSessionTimeout));
    return proxy;
  }

  ProxyServer start(String routesAndUpstream) throws Exception {
    return start(routesAndUpstream, HostResolver.system());
  }

  TestCaller caller(String host) throws Exception {
    return TestCaller.connect(callers, proxy.listenAddress(), host, pki.clientContext());
  }

  @Override
  public void close() {
    if (proxy != null) {
      proxy.shutdown();
    }
    callers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
