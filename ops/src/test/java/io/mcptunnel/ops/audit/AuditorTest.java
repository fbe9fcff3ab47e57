package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.mcptunnel.egress.HostResolver;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditor's wiring without any upstream: what the egress policy refuses is never connected to. */
class AuditorTest {
  @TempDir
  Path dir;

  static AuditOptions options(io.mcptunnel.proxy.config.ProxyConfig config, HostResolver resolver) {
    return new AuditOptions(config, Optional.empty(), Optional.empty(), Optional.empty(), "/mcp",
        Duration.ofHours(720), Duration.ofHours(2160), Optional.empty(), Optional.empty(), Optional.empty(),
        Map.of(), resolver, Instant.now(), Duration.ofSeconds(2));
  }

  @Test
  void anUpstreamTheProxyWouldRefuseIsReportedAndNotProbed() throws Exception {
    var config = Configs.parse(dir, """
        tunnel_domain: t1.example
        routes:
          meta: http://metadata.internal:80
          gone: http://nowhere.internal:80
        """);
    HostResolver resolver = h -> h.equals("metadata.internal")
        ? List.of(InetAddress.getByName("169.254.169.254")) : List.of();
    Report r = Auditor.run(options(config, resolver));
    assertThat(r.findings()).extracting(Finding::check, Finding::severity, Finding::subject).containsExactly(
        tuple("allowed-ips-default", Severity.MEDIUM, "upstream.allowed_ips"),
        tuple("upstream-refused-by-egress", Severity.MEDIUM, "route meta"),
        tuple("upstream-unreachable", Severity.MEDIUM, "route gone"),
        tuple("require-authorization-off", Severity.LOW, "route meta"),
        tuple("require-authorization-off", Severity.LOW, "route gone"));
    assertThat(r.findings().get(1).evidence())
        .isEqualTo("IP validation failed: 169.254.169.254 is not a private address: the proxy refuses this upstream, so the route answers 502");
    assertThat(r.findings().get(2).evidence()).isEqualTo("could not probe: upstream host nowhere.internal does not resolve");
    assertThat(r.inventory()).extracting(RouteInventory::probe, i -> i.toolsNote().orElse(null)).containsExactly(
        tuple("not probed: IP validation failed: 169.254.169.254 is not a private address", "not listed: upstream not reachable"),
        tuple("could not probe: upstream host nowhere.internal does not resolve", "not listed: upstream not reachable"));
  }
}
