package io.mcptunnel.ops.audit;

import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Proxy configurations for check tests, parsed by the real parser. */
final class Configs {
  private Configs() {}

  static ProxyConfig parse(Path dir, String body) {
    try {
      Path file = Files.createTempFile(dir, "config", ".yaml");
      Files.writeString(file, """
          listen_addr: ":8080"
          tls: {cert_file: /nonexistent/tls.crt, key_file: /nonexistent/tls.key}
          """ + body);
      return ProxyConfigParser.parse(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
