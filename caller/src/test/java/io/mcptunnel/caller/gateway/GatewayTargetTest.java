package io.mcptunnel.caller.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayTargetTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(delimiter = '|', value = {
      "/mcp.t1.tunnels.example/mcp            | mcp.t1.tunnels.example | /mcp",
      "/MCP.T1.Tunnels.Example/mcp            | mcp.t1.tunnels.example | /mcp",
      "/mcp.t1.tunnels.example/mcp?x=1&y=2    | mcp.t1.tunnels.example | /mcp?x=1&y=2",
      "/mcp.t1.tunnels.example                | mcp.t1.tunnels.example | /",
      "/mcp.t1.tunnels.example?x=1            | mcp.t1.tunnels.example | /?x=1",
      "/mcp.t1.tunnels.example/a/b/c          | mcp.t1.tunnels.example | /a/b/c",
      "/a-b.t1.example/.well-known/oauth      | a-b.t1.example         | /.well-known/oauth",
      "http://127.0.0.1:8787/mcp.t1.example/m | mcp.t1.example         | /m",
  })
  void aTunnelHostAndThePathTheServerSees(String uri, String host, String path) {
    GatewayTarget.Result r = GatewayTarget.parse(uri);
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(r.target()).isEqualTo(new GatewayTarget(host, path));
  }

  @ParameterizedTest(name = "{0} refused")
  @CsvSource(delimiter = '|', value = {
      "/",
      "//mcp",
      "/localhost/mcp",
      "/127.0.0.1/mcp",
      "/10.0.0.5/mcp",
      "/[::1]/mcp",
      "/mcp.example.com:8443/mcp",
      "/user@mcp.example.com/mcp",
      "/mcp.example.com./mcp",
      "/-bad.example.com/mcp",
      "/mcp..example.com/mcp",
      "/mcp%2eexample.com/mcp",
      "/mcp_x.example.com/mcp",
      "*",
  })
  void anythingButATunnelHostIsRefused(String uri) {
    GatewayTarget.Result r = GatewayTarget.parse(uri);
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).isNotBlank();
  }
}
