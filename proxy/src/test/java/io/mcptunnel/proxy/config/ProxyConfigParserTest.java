package io.mcptunnel.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.egress.EgressPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyConfigParserTest {

  static String config(String extra) {
    return """
        listen_addr: ":8080"
        tls:
          cert_file: /data/tls.crt
          key_file: /data/tls.key
        """ + extra;
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    ProxyConfig c = ProxyConfigParser.parse(config("routes:\n  echo.example.com: http://10.0.0.5:9000\n"), "t");
    assertThat(c.listenAddr().anyInterface()).isTrue();
    assertThat(c.listenAddr().port()).isEqualTo(8080);
    assertThat(c.logLevel()).isEqualTo(ProxyConfig.LogLevel.INFO);
    assertThat(c.logFormat()).isEqualTo(ProxyConfig.LogFormat.JSON);
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.egressPolicy()).isEqualTo(EgressPolicy.defaultPrivate());
    assertThat(c.adminAddr().host()).isEqualTo("127.0.0.1");
    assertThat(c.includeSystemCas()).isFalse();
  }

  @Test
  void routeKeysAreCaseInsensitiveAndUpstreamsParsed() {
    ProxyConfig c = ProxyConfigParser.parse(config("""
        tunnel_domain: AbCd1234.Tunnel.Example
        routes:
          Echo: http://10.0.0.5:9000
          docs.internal.example: https://docs.internal:8443
        upstream:
          allowed_ips: [10.0.0.0/24, 192.168.5.7]
          tls:
            ca_file: /data/upstream-ca.pem
        """), "t");
    assertThat(c.tunnelDomain()).contains("abcd1234.tunnel.example");
    assertThat(c.routes()).containsOnlyKeys("echo", "docs.internal.example");
    assertThat(c.routes().get("echo")).isEqualTo(new Upstream("http", "10.0.0.5", 9000));
    assertThat(c.routes().get("docs.internal.example").tls()).isTrue();
    assertThat(c.egressPolicy().allowed()).extracting(Object::toString).containsExactly("10.0.0.0/24", "192.168.5.7/32");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "routes:\\n  echo: http://10.0.0.5:9000\\n| tunnel_domain is required when route keys are bare subdomains",
      "routes:\\n  a.example: http://10.0.0.5:9000\\n  A.example: http://10.0.0.6:9000\\n| duplicate",
      "routes:\\n  a.example: http://u:secret@10.0.0.5:9000\\n| user info is not allowed",
      "routes:\\n  a.example: http://10.0.0.5:9000\\nupstream:\\n  allowed_ips: []\\n| upstream.allowed_ips: empty list",
      "routes:\\n  a.example: http://10.0.0.5:9000\\nupstream:\\n  disable_ip_validation: maybe\\n| upstream.disable_ip_validation",
      "routes:\\n  a.example: http://10.0.0.5:9000\\nupstream:\\n  tls:\\n    ca: x\\n| unknown field \"upstream.tls.ca\"",
      "routes: {}\\n| at least one route",
      "routes:\\n  a.example: http://10.0.0.5:9000\\nlisten_addr: 8080\\n| listen_addr",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  b.example: {require_authorization: true}\\n| policies.b.example: no such route",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {allowed_tool: [x]}\\n| unknown field \"policies.a.example.allowed_tool\"",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {allowed_tools: echo}\\n| policies.a.example.allowed_tools: cannot unmarshal",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {rate_limit: {burst: 3}}\\n| policies.a.example.rate_limit.requests_per_second is required",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {rate_limit: {requests_per_second: 0}}\\n| is not a positive number",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {rate_limit: {requests_per_second: 5, burst: 0.5}}\\n| policies.a.example.rate_limit.burst",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {rate_limit: {rps: 5}}\\n| unknown field \"policies.a.example.rate_limit.rps\"",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {max_request_bytes: -1}\\n| policies.a.example.max_request_bytes",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {max_request_bytes: 1MB}\\n| is not a positive whole number of bytes",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies:\\n  a.example: {require_authorization: yes please}\\n| policies.a.example.require_authorization",
      "routes:\\n  a.example: http://10.0.0.5:9000\\npolicies: [a.example]\\n| policies: cannot unmarshal",
  })
  void refusals(String extra, String phrase) {
    String yaml = config(extra.replace("\\n", "\n"));
    assertThatThrownBy(() -> ProxyConfigParser.parse(yaml, "t"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(phrase);
  }

  @Test
  void policiesAreReadPerRouteAndAbsentOnesChangeNothing() {
    ProxyConfig c = ProxyConfigParser.parse(config("""
        tunnel_domain: t.example
        routes:
          echo: http://10.0.0.5:9000
          Docs: http://10.0.0.6:9000
          open: http://10.0.0.7:9000
        policies:
          echo:
            allowed_tools: [echo, add]
            require_authorization: true
            rate_limit: {requests_per_second: 2.5, burst: 10}
            max_request_bytes: 65536
          DOCS:
            rate_limit: {requests_per_second: 3.2}
            allowed_tools: []
        """), "t");
    RoutePolicy echo = c.policy("echo");
    assertThat(echo.allowedTools()).contains(java.util.Set.of("echo", "add"));
    assertThat(echo.toolAllowed("add")).isTrue();
    assertThat(echo.toolAllowed("delete_everything")).isFalse();
    assertThat(echo.requireAuthorization()).isTrue();
    assertThat(echo.rateLimit()).contains(new RoutePolicy.RateLimit(2.5, 10));
    assertThat(echo.maxRequestBytes()).hasValue(65536);
    RoutePolicy docs = c.policy("docs");
    assertThat(docs.rateLimit()).contains(new RoutePolicy.RateLimit(3.2, 4));
    assertThat(docs.toolAllowed("anything")).isFalse();
    assertThat(docs.requireAuthorization()).isFalse();
    assertThat(c.policy("open")).isEqualTo(RoutePolicy.NONE);
    assertThat(c.policy("open").toolAllowed("anything")).isTrue();
    assertThat(c.describe()).contains("policies:\n  echo:\n    allowed_tools: [add, echo]\n"
        + "    require_authorization: true\n    rate_limit: {requests_per_second: 2.5, burst: 10}\n"
        + "    max_request_bytes: 65536\n");
  }

  @Test
  void userInfoInAnUpstreamIsNeverEchoed() {
    String yaml = config("routes:\n  a.example: http://u:hunter2@10.0.0.5:9000\n");
    assertThatThrownBy(() -> ProxyConfigParser.parse(yaml, "t")).message().doesNotContain("hunter2");
  }

  @Test
  void missingFileNamesThePath(@TempDir Path dir) {
    Path missing = dir.resolve("config.yaml");
    assertThatThrownBy(() -> ProxyConfigParser.parse(missing))
        .hasMessage("open " + missing + ": no such file or directory");
  }

  @Test
  void invalidYamlSaysSo(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("c.yaml"), "listen_addr: [\n");
    assertThatThrownBy(() -> ProxyConfigParser.parse(f)).hasMessageContaining("invalid YAML");
  }

  @Test
  void describeShowsNoKeyMaterialAndFlagsDisabledValidation() {
    ProxyConfig c = ProxyConfigParser.parse(config(
        "routes:\n  a.example: http://10.0.0.5:9000\nupstream:\n  disable_ip_validation: true\n"), "t");
    assertThat(c.describe()).contains("disable_ip_validation: true").contains("SSRF defence is off")
        .contains("key_file: /data/tls.key  # contents not shown");
  }
}
