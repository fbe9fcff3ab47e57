package io.mcptunnel.edge.server;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.edge.callers.Caller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The validated edge configuration. Only {@link EdgeConfigParser} builds one from a file, so a value
 * of this type has passed every startup rule. It holds caller key hashes, never caller keys, and
 * {@code callerClientCaFile} is set whenever a caller is pinned by certificate.
 */
public record EdgeConfig(
    HostPort connectorListen,
    HostPort callerListen,
    HostPort adminAddr,
    Path certFile,
    Path keyFile,
    Optional<Path> callerClientCaFile,
    Path registryFile,
    Duration registryPollInterval,
    List<Caller> callers,
    LogLevel logLevel,
    LogFormat logFormat) {

  public enum LogLevel { DEBUG, INFO, WARN, ERROR }

  public enum LogFormat { JSON, TEXT }

  public EdgeConfig {
    callers = List.copyOf(callers);
  }

  /**
   * The effective configuration as YAML-like text, for {@code edge check}. Key hashes are left out
   * too: they are not secrets, but an operator pasting this output somewhere need not leak them.
   */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append("connector_listen: \"").append(connectorListen).append("\"\n");
    out.append("caller_listen: \"").append(callerListen).append("\"\n");
    out.append("admin_addr: \"").append(adminAddr).append("\"\n");
    out.append("tls:\n");
    out.append("  cert_file: ").append(certFile).append('\n');
    out.append("  key_file: ").append(keyFile).append("  # contents not shown\n");
    callerClientCaFile.ifPresent(f -> out.append("caller_tls:\n  client_ca_file: ").append(f)
        .append("  # client certificates requested (optional)\n"));
    out.append("registry_file: ").append(registryFile).append('\n');
    out.append("registry_poll_interval: ").append(GoDuration.format(registryPollInterval)).append('\n');
    out.append("callers:").append(callers.isEmpty() ? " []  # no caller can open a stream\n" : "\n");
    for (Caller c : callers) {
      out.append("  - name: ").append(c.name()).append('\n');
      out.append("    organization: ").append(c.organization()).append('\n');
      if (c.keySha256() != null) {
        out.append("    key_sha256: (set)\n");
      }
      if (c.certificateSha256() != null) {
        out.append("    certificate_sha256: \"").append(c.certificateSha256()).append("\"\n");
      }
      out.append("    allowed_sources: ").append(c.allowedSources())
          .append(c.allowedSources().isEmpty() ? "  # any source\n" : "\n");
    }
    out.append("log_level: ").append(logLevel.name().toLowerCase(Locale.ROOT)).append('\n');
    out.append("log_format: ").append(logFormat.name().toLowerCase(Locale.ROOT)).append('\n');
    return out.toString();
  }
}
