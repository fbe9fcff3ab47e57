package io.mcptunnel.ops.audit;

import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.proxy.config.ProxyConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one audit run looks at. Secrets (the bearer and admin tokens) are held only to be
 * sent; no check prints them.
 *
 * @param dataDir a setup output folder (tunnel-domain, tunnel-token, ca.crt, ca.key, tls.crt, ...)
 * @param probePath the MCP endpoint path probed on each upstream
 * @param certWarn a certificate with less validity left is a finding
 * @param tokenMaxAge a tunnel-token file older than this is a finding
 * @param environment the variables Compose interpolation sees (before the .env file)
 */
public record AuditOptions(
    ProxyConfig config,
    Optional<Path> dataDir,
    Optional<Path> compose,
    Optional<Path> helmValues,
    String probePath,
    Duration certWarn,
    Duration tokenMaxAge,
    Optional<String> bearerToken,
    Optional<URI> controlPlane,
    Optional<String> adminToken,
    Map<String, String> environment,
    HostResolver resolver,
    Instant now,
    Duration timeout) {

  @Override
  public String toString() {
    // Never show the tokens, even in a debugger's or a test failure's rendering.
    return "AuditOptions[dataDir=" + dataDir + ", compose=" + compose + ", helmValues=" + helmValues
        + ", probePath=" + probePath + "]";
  }
}
