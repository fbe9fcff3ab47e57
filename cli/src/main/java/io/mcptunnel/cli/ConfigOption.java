package io.mcptunnel.cli;

import io.mcptunnel.proxy.config.ProxyConfig;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}, shared by the proxy subcommands as a mixin. */
public final class ConfigOption {
  @Option(names = "--config", paramLabel = "FILE",
      defaultValue = "/etc/mcp-gateway/config.yaml",
      description = "Proxy configuration file (default: ${DEFAULT-VALUE}).")
  Path file = ProxyConfigParser.DEFAULT_PATH;

  ProxyConfig load() {
    return ProxyConfigParser.parse(file);
  }
}
