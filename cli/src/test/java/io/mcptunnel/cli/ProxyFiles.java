package io.mcptunnel.cli;

import io.mcptunnel.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a throwaway certificate pair and proxy configs into a test directory. */
final class ProxyFiles {
  final Path dir;
  final Path cert;
  final Path key;

  ProxyFiles(Path dir) {
    this.dir = dir;
    this.cert = dir.resolve("tls.crt");
    this.key = dir.resolve("tls.key");
    TestPki pki = TestPki.create("cli test CA");
    TestPki.write(pki.server("echo.mcp.test"), cert, key);
  }

  /** A valid config with a narrow allow-list; {@code extra} is appended as more YAML. */
  Path config(String listen, String admin, String extra) {
    return write("config.yaml", """
        listen_addr: "%s"
        admin_addr: "%s"
        shutdown_timeout: 5s
        tunnel_domain: mcp.test
        tls:
          cert_file: %s
          key_file: %s
        routes:
          echo: http://10.0.0.5:9000
        upstream:
          allowed_ips: [10.0.0.5/32]
        %s""".formatted(listen, admin, cert, key, extra));
  }

  Path write(String name, String yaml) {
    try {
      return Files.writeString(dir.resolve(name), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port that was free a moment ago; good enough for loopback tests. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
