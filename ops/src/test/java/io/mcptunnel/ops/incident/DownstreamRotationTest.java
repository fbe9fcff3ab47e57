package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.proxy.config.ProxyConfigParser;
import org.junit.jupiter.api.Test;

class DownstreamRotationTest {
  @Test
  void eachRouteWithItsPublicUrlAndUpstream() {
    var config = ProxyConfigParser.parse("""
        listen_addr: "127.0.0.1:8080"
        tunnel_domain: abc.tunnel.example
        tls:
          cert_file: /nonexistent/tls.crt
          key_file: /nonexistent/tls.key
        routes:
          mcp: http://127.0.0.1:8000
          docs.example.com: https://10.0.0.5:443
        upstream:
          tls:
            include_system_cas: true
        """, "proxy.yaml");
    assertThat(DownstreamRotation.of(config, null)).extracting(DownstreamRotation.Item::line).containsExactly(
        "mcp (https://mcp.abc.tunnel.example -> http://127.0.0.1:8000): revoke/rotate OAuth tokens issued for"
            + " https://mcp.abc.tunnel.example by this server's authorization server; rotate its client secrets",
        "docs.example.com (https://docs.example.com -> https://10.0.0.5:443): revoke/rotate OAuth tokens issued for"
            + " https://docs.example.com by this server's authorization server; rotate its client secrets");
  }
}
