package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxySuggestAllowedIpsCommandTest {
  @TempDir
  Path dir;

  ProxyFiles files;

  @BeforeEach
  void pki() {
    files = new ProxyFiles(dir);
  }

  private Path config(String name, String routes, String upstream) {
    return files.write(name, """
        listen_addr: ":8080"
        tls: {cert_file: %s, key_file: %s}
        routes:
        %s
        %s""".formatted(files.cert, files.key, routes.indent(2).stripTrailing(), upstream));
  }

  private static final String ROUTES = """
      a.mcp.test: http://10.0.0.6:9000
      b.mcp.test: http://10.0.0.7:9443
      c.mcp.test: http://10.0.0.6:9001
      local.mcp.test: http://localhost:9002
      """;

  /** What the system resolver says about localhost here: the lines are exact, the answer is the host's. */
  private static List<String> localhostLines(boolean loopbackAllowed) throws Exception {
    InetAddress[] all = InetAddress.getAllByName("localhost");
    List<String> lines = new ArrayList<>();
    lines.add("route local.mcp.test -> http://localhost:9002: "
        + Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(", ")));
    for (InetAddress a : all) {
      lines.add(a instanceof Inet4Address
          ? "  warning: " + a.getHostAddress() + " is a loopback address; " + (loopbackAllowed
              ? "included because the current setting already allows it"
              : "left out because the current setting does not allow it")
          : "  " + a.getHostAddress() + ": unsupported, IPv6 (the proxy reaches upstreams over IPv4 only)");
    }
    return lines;
  }

  @Test
  void literalsAggregateExactlyAndLoopbackIsLeftOutUnderTheDefault() throws Exception {
    Path config = config("default.yaml", ROUTES, "");
    CliRun run = CliRun.of("proxy", "suggest-allowed-ips", "--config", config.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    List<String> expected = new ArrayList<>(List.of(
        "route a.mcp.test -> http://10.0.0.6:9000: 10.0.0.6",
        "route b.mcp.test -> http://10.0.0.7:9443: 10.0.0.7",
        "route c.mcp.test -> http://10.0.0.6:9001: 10.0.0.6"));
    expected.addAll(localhostLines(false));
    expected.addAll(List.of(
        "current: allowed_ips not set, default [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16] allows 17891328 addresses",
        "suggested: allows 2 addresses",
        "upstream:",
        "  allowed_ips: [10.0.0.6/31]"));
    assertThat(run.out().lines().toList()).isEqualTo(expected);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void loopbackIsKeptWhenTheCurrentListAllowsItAndNonAlignedNeighboursStaySeparate() throws Exception {
    Path config = config("list.yaml", """
        a.mcp.test: http://10.0.0.5:9000
        b.mcp.test: http://10.0.0.6:9000
        local.mcp.test: http://localhost:9002
        """, "upstream: {allowed_ips: [10.0.0.0/24, 127.0.0.1]}\n");
    CliRun run = CliRun.of("proxy", "suggest-allowed-ips", "--config", config.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    List<String> expected = new ArrayList<>(List.of(
        "route a.mcp.test -> http://10.0.0.5:9000: 10.0.0.5",
        "route b.mcp.test -> http://10.0.0.6:9000: 10.0.0.6"));
    expected.addAll(localhostLines(true));
    expected.addAll(List.of(
        "current: allowed_ips [10.0.0.0/24, 127.0.0.1/32] allows 257 addresses",
        "suggested: allows 3 addresses",
        "upstream:",
        "  allowed_ips: [10.0.0.5/32, 10.0.0.6/32, 127.0.0.1/32]"));
    assertThat(run.out().lines().toList()).isEqualTo(expected);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void publicAndMetadataAddressesAreNamed() {
    Path config = config("special.yaml", """
        pub.mcp.test: http://8.8.8.8:80
        meta.mcp.test: http://169.254.169.254:80
        v6.mcp.test: http://[::1]:80
        """, "");
    CliRun run = CliRun.of("proxy", "suggest-allowed-ips", "--config", config.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines().toList()).containsExactly(
        "route pub.mcp.test -> http://8.8.8.8:80: 8.8.8.8",
        "  note: 8.8.8.8 is not allowed by the current setting",
        "route meta.mcp.test -> http://169.254.169.254:80: 169.254.169.254",
        "  warning: 169.254.169.254 is a cloud metadata address; left out because the current setting does not allow it",
        "route v6.mcp.test -> http://[::1]:80: 0:0:0:0:0:0:0:1",
        "  0:0:0:0:0:0:0:1: unsupported, IPv6 (the proxy reaches upstreams over IPv4 only)",
        "current: allowed_ips not set, default [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16] allows 17891328 addresses",
        "suggested: allows 1 address",
        "upstream:",
        "  allowed_ips: [8.8.8.8/32]");
  }

  @Test
  void unresolvableHostIsOneLineAndExitsOneAfterTheRest() {
    Path config = config("gone.yaml", """
        gone.mcp.test: http://no-such-host.invalid:9000
        a.mcp.test: http://10.0.0.5:9000
        """, "upstream: {allowed_ips: [10.0.0.5]}\n");
    CliRun run = CliRun.of("proxy", "suggest-allowed-ips", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().toList()).containsExactly(
        "error: route gone.mcp.test: upstream host no-such-host.invalid could not be resolved");
    assertThat(run.out().lines().toList()).containsExactly(
        "route a.mcp.test -> http://10.0.0.5:9000: 10.0.0.5",
        "current: allowed_ips [10.0.0.5/32] allows 1 address",
        "suggested: allows 1 address",
        "upstream:",
        "  allowed_ips: [10.0.0.5/32]");
  }

  @Test
  void nothingLeftToSuggestExitsOne() {
    Path config = config("loop.yaml", "l.mcp.test: http://127.0.0.1:9000\n", "");
    CliRun run = CliRun.of("proxy", "suggest-allowed-ips", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("error: no route resolved to an IPv4 address to suggest\n");
    assertThat(run.out()).doesNotContain("allowed_ips: [");
  }

  @Test
  void badConfigIsTheUsualOneLineError() {
    Path config = files.write("typo.yaml", """
        listen_adr: ":8080"
        tls: {cert_file: %s, key_file: %s}
        routes: {echo.mcp.test: "http://10.0.0.5:9000"}
        """.formatted(files.cert, files.key));
    CliRun run = CliRun.of("proxy", "suggest-allowed-ips", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines().toList()).hasSize(1);
    assertThat(run.err()).startsWith("mcptunnel: unknown field \"listen_adr\"");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void missingConfigFileIsOneLine() {
    CliRun run = CliRun.of("proxy", "suggest-allowed-ips", "--config", dir.resolve("absent.yaml").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: ").doesNotContain("at io.");
    assertThat(run.err().lines().toList()).hasSize(1);
  }
}
