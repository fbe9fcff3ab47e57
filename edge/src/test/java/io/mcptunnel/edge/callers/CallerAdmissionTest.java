package io.mcptunnel.edge.callers;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.edge.registry.TunnelRegistry;
import io.mcptunnel.edge.registry.TunnelState;
import io.mcptunnel.egress.Ipv4Cidr;
import io.mcptunnel.testing.TestPki;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallerAdmissionTest {
  static final X509Certificate CA = TestPki.create("t").ca().certificate();
  static final String KEY = "ck_live_abcdef";

  static final TunnelRegistry TUNNELS = new TunnelRegistry() {
    final List<TunnelState> all = List.of(
        state("tnl_a", "aaaa1111.tunnel.test", "org_1", List.of(CA), false),
        state("tnl_b", "bbbb2222.tunnel.test", "org_2", List.of(CA), false),
        state("tnl_c", "cccc3333.tunnel.test", "org_1", List.of(), false),
        state("tnl_d", "dddd4444.tunnel.test", "org_1", List.of(CA), true));

    @Override
    public Optional<TunnelState> byId(String id) {
      return all.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public Optional<TunnelState> byDomain(String domain) {
      return all.stream().filter(t -> t.domain().equalsIgnoreCase(domain)).findFirst();
    }

    @Override
    public void addListener(Consumer<TunnelState> onChange) {}

    @Override
    public Collection<TunnelState> all() {
      return all;
    }
  };

  static TunnelState state(String id, String domain, String org, List<X509Certificate> cas, boolean archived) {
    return new TunnelState(id, domain, org, "tok_1", "0".repeat(64), Set.of(), cas, archived);
  }

  @ParameterizedTest(name = "{0} from {1} to {2} -> {3} {4}")
  @CsvSource({
      "ck_live_abcdef, 127.0.0.1, mcp.aaaa1111.tunnel.test, 200, allowed",
      "ck_live_abcdef, 127.0.0.1, MCP.AAAA1111.Tunnel.Test, 200, allowed",
      "wrong, 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, caller key rejected",
      "'', 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, caller key rejected",
      "ck_live_abcdef, 10.9.9.9, mcp.aaaa1111.tunnel.test, 403, source address not allowed",
      "ck_live_abcdef, ::1, mcp.aaaa1111.tunnel.test, 403, source address not allowed",
      "ck_live_abcdef, 127.0.0.1, mcp.unknown.tunnel.test, 404, no such tunnel",
      "ck_live_abcdef, 127.0.0.1, aaaa1111, 404, no such tunnel",
      "ck_live_abcdef, 127.0.0.1, mcp.bbbb2222.tunnel.test, 404, no such tunnel",
      "ck_live_abcdef, 127.0.0.1, mcp.dddd4444.tunnel.test, 404, no such tunnel",
      "ck_live_abcdef, 127.0.0.1, mcp.cccc3333.tunnel.test, 503, tunnel has no active CA certificate",
  })
  void decidesInAFixedOrder(String key, String source, String host, int status, String publicReason) throws Exception {
    List<Caller> callers = List.of(new Caller("backend", "org_1", CallerAdmission.sha256Hex(KEY),
        List.of(Ipv4Cidr.parse("127.0.0.0/8"))));
    CallerAdmission.Decision d = CallerAdmission.admit(key.isEmpty() ? null : key, InetAddress.getByName(source),
        host, callers, TUNNELS);
    assertThat(d.status()).isEqualTo(status);
    assertThat(d.publicReason()).isEqualTo(publicReason);
    assertThat(d.reason()).doesNotContain(KEY);
  }
}
