package io.mcptunnel.edge.server;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.edge.callers.Caller;
import java.net.URI;
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
    TunnelSource tunnelSource,
    List<Caller> callers,
    LogLevel logLevel,
    LogFormat logFormat) {

  public enum LogLevel { DEBUG, INFO, WARN, ERROR }

  public enum LogFormat { JSON, TEXT }

  /** Where tunnel state comes from: exactly one of {@code registry_file} and {@code control_plane}. */
  public sealed interface TunnelSource permits RegistryFile, ControlPlane {}

  /** The YAML registry file, polled every {@code pollInterval}. */
  public record RegistryFile(Path path, Duration pollInterval) implements TunnelSource {}

  /**
   * The control plane's edge feed at {@code url}; {@code credentialFile} holds the edge's internal
   * credential (read at start, never shown); {@code caFile} replaces the system trust store.
   */
  public record ControlPlane(URI url, Path credentialFile, Optional<Path> caFile) implements TunnelSource {}

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
    if (tunnelSource instanceof RegistryFile f) {
      out.append("registry_file: ").append(f.path()).append('\n');
      out.append("registry_poll_interval: ").append(GoDuration.format(f.pollInterval())).append('\n');
    } else if (tunnelSource instanceof ControlPlane cp) {
      out.append("control_plane:\n");
      out.append("  url: \"").append(cp.url()).append("\"\n");
      out.append("  credential_file: ").append(cp.credentialFile()).append("  # contents not shown\n");
      out.append("  ca_file: ").append(cp.caFile().map(Path::toString).orElse("none  # the system trust store"))
          .append('\n');
    }
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
