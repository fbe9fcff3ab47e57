package io.mcptunnel.proxy.config;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.HostPort;
import io.mcptunnel.egress.EgressPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The validated proxy configuration. Only {@link ProxyConfigParser} builds one from a file, so a
 * value of this type has passed every startup rule.
 *
 * @param routes route key (bare subdomain or full host name, lower case) to upstream
 * @param policies route key to its policy; routes without one are absent
 */
public record ProxyConfig(
    HostPort listenAddr,
    HostPort adminAddr,
    LogLevel logLevel,
    LogFormat logFormat,
    Duration shutdownTimeout,
    Optional<String> tunnelDomain,
    Path certFile,
    Path keyFile,
    Map<String, Upstream> routes,
    EgressPolicy egressPolicy,
    Optional<Path> upstreamCaFile,
    boolean includeSystemCas,
    Map<String, RoutePolicy> policies) {

  public enum LogLevel { DEBUG, INFO, WARN, ERROR }

  public enum LogFormat { JSON, TEXT }

  public ProxyConfig {
    routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    policies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(policies));
  }

  /** The policy of a route (by its key), {@link RoutePolicy#NONE} when it has none. */
  public RoutePolicy policy(String route) {
    return policies.getOrDefault(route, RoutePolicy.NONE);
  }

  public boolean hasTlsUpstreams() {
    return routes.values().stream().anyMatch(Upstream::tls);
  }

  /** The effective configuration as YAML-like text, for {@code proxy check}. Holds no secret. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append("listen_addr: \"").append(listenAddr).append("\"\n");
    out.append("admin_addr: \"").append(adminAddr).append("\"\n");
    out.append("log_level: ").append(logLevel.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
    out.append("log_format: ").append(logFormat.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
    out.append("shutdown_timeout: ").append(GoDuration.format(shutdownTimeout)).append('\n');
    tunnelDomain.ifPresent(d -> out.append("tunnel_domain: ").append(d).append('\n'));
    out.append("tls:\n");
    out.append("  cert_file: ").append(certFile).append('\n');
    out.append("  key_file: ").append(keyFile).append("  # contents not shown\n");
    out.append("routes:\n");
    routes.forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
    out.append("upstream:\n");
    switch (egressPolicy.mode()) {
      case VALIDATION_DISABLED -> out.append("  disable_ip_validation: true  # WARNING: SSRF defence is off\n");
      case DEFAULT_PRIVATE -> out.append("  allowed_ips: ").append(egressPolicy.allowed())
          .append("  # default (RFC 1918); narrow it to your MCP servers\n");
      case ALLOW_LIST -> out.append("  allowed_ips: ").append(egressPolicy.allowed()).append('\n');
    }
    if (upstreamCaFile.isPresent() || includeSystemCas) {
      out.append("  tls:\n");
      upstreamCaFile.ifPresent(f -> out.append("    ca_file: ").append(f).append('\n'));
      out.append("    include_system_cas: ").append(includeSystemCas).append('\n');
    }
    if (!policies.isEmpty()) {
      out.append("policies:\n");
      policies.forEach((route, p) -> {
        out.append("  ").append(route).append(":\n");
        p.allowedTools().ifPresent(t -> out.append("    allowed_tools: ").append(t.stream().sorted().toList()).append('\n'));
        if (p.requireAuthorization()) {
          out.append("    require_authorization: true\n");
        }
        p.rateLimit().ifPresent(r -> out.append("    rate_limit: {requests_per_second: ")
            .append(r.requestsPerSecond()).append(", burst: ").append(r.burst()).append("}\n"));
        p.maxRequestBytes().ifPresent(m -> out.append("    max_request_bytes: ").append(m).append('\n'));
      });
    }
    return out.toString();
  }
}
