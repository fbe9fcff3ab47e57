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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
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

  /** Client certificate fingerprints, as the listener passes them; the table names them. */
  static final Map<String, String> CERTIFICATES = Map.of(
      "cert_backend", "a1".repeat(32),
      "cert_branch", "b2".repeat(32),
      "cert_unpinned", "c3".repeat(32));
  static final String OPS_KEY = "ck_live_ops";

  static final List<Caller> CALLERS = List.of(
      new Caller("backend", "org_1", CallerAdmission.sha256Hex(KEY), CERTIFICATES.get("cert_backend"),
          List.of(Ipv4Cidr.parse("127.0.0.0/8"))),
      new Caller("ops", "org_1", CallerAdmission.sha256Hex(OPS_KEY), List.of()),
      new Caller("branch", "org_1", null, CERTIFICATES.get("cert_branch"), List.of(Ipv4Cidr.parse("10.0.0.0/8"))));

  @ParameterizedTest(name = "{0} {1} from {2} to {3} -> {4} {5}")
  @CsvSource({
      // caller keys, as before client certificates existed
      "'', ck_live_abcdef, 127.0.0.1, mcp.aaaa1111.tunnel.test, 200, allowed",
      "'', ck_live_abcdef, 127.0.0.1, MCP.AAAA1111.Tunnel.Test, 200, allowed",
      "'', wrong, 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, caller key rejected",
      "'', '', 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, caller key rejected",
      "'', ck_live_abcdef, 10.9.9.9, mcp.aaaa1111.tunnel.test, 403, source address not allowed",
      "'', ck_live_abcdef, ::1, mcp.aaaa1111.tunnel.test, 403, source address not allowed",
      "'', ck_live_abcdef, 127.0.0.1, mcp.unknown.tunnel.test, 404, no such tunnel",
      "'', ck_live_abcdef, 127.0.0.1, aaaa1111, 404, no such tunnel",
      "'', ck_live_abcdef, 127.0.0.1, mcp.bbbb2222.tunnel.test, 404, no such tunnel",
      "'', ck_live_abcdef, 127.0.0.1, mcp.dddd4444.tunnel.test, 404, no such tunnel",
      "'', ck_live_abcdef, 127.0.0.1, mcp.cccc3333.tunnel.test, 503, tunnel has no active CA certificate",
      "'', ck_live_ops, 10.9.9.9, mcp.aaaa1111.tunnel.test, 200, allowed",
      // client certificates: the certificate names the caller, the same checks follow
      "cert_backend, '', 127.0.0.1, mcp.aaaa1111.tunnel.test, 200, allowed",
      "cert_backend, ck_live_abcdef, 127.0.0.1, mcp.aaaa1111.tunnel.test, 200, allowed",
      "cert_branch, '', 10.1.2.3, mcp.aaaa1111.tunnel.test, 200, allowed",
      "cert_unpinned, '', 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, client certificate rejected",
      "cert_unpinned, ck_live_abcdef, 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, client certificate rejected",
      "cert_backend, wrong, 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, caller key rejected",
      "cert_backend, ck_live_ops, 127.0.0.1, mcp.aaaa1111.tunnel.test, 401, client certificate and caller key name different callers",
      "cert_branch, ck_live_abcdef, 10.1.2.3, mcp.aaaa1111.tunnel.test, 401, client certificate and caller key name different callers",
      "cert_branch, '', 127.0.0.1, mcp.aaaa1111.tunnel.test, 403, source address not allowed",
      "cert_backend, '', 10.9.9.9, mcp.aaaa1111.tunnel.test, 403, source address not allowed",
      "cert_backend, '', ::1, mcp.aaaa1111.tunnel.test, 403, source address not allowed",
      "cert_backend, '', 127.0.0.1, mcp.bbbb2222.tunnel.test, 404, no such tunnel",
      "cert_backend, '', 127.0.0.1, mcp.dddd4444.tunnel.test, 404, no such tunnel",
      "cert_backend, '', 127.0.0.1, mcp.cccc3333.tunnel.test, 503, tunnel has no active CA certificate",
  })
  void decidesInAFixedOrder(String certificate, String key, String source, String host, int status,
      String publicReason) throws Exception {
    CallerAdmission.Credentials presented = new CallerAdmission.Credentials(
        certificate.isEmpty() ? null : CERTIFICATES.get(certificate), key.isEmpty() ? null : key);
    CallerAdmission.Decision d = CallerAdmission.admit(presented, InetAddress.getByName(source), host, CALLERS, TUNNELS);
    assertThat(d.status()).isEqualTo(status);
    assertThat(d.publicReason()).isEqualTo(publicReason);
    assertThat(d.reason()).doesNotContain(KEY).doesNotContain(OPS_KEY);
  }

  @Test
  void theCallerIsNamedForTheLogAndAnUnpinnedCertificateByItsFingerprint() throws Exception {
    InetAddress local = InetAddress.getByName("127.0.0.1");
    assertThat(CallerAdmission.admit(new CallerAdmission.Credentials(CERTIFICATES.get("cert_branch"), null), local,
        "mcp.aaaa1111.tunnel.test", CALLERS, TUNNELS).caller().name()).isEqualTo("branch");
    assertThat(CallerAdmission.admit(new CallerAdmission.Credentials(CERTIFICATES.get("cert_unpinned"), null), local,
        "mcp.aaaa1111.tunnel.test", CALLERS, TUNNELS).reason())
        .isEqualTo("client certificate sha256 " + CERTIFICATES.get("cert_unpinned") + " is not pinned by any caller");
    assertThat(CallerAdmission.admit(new CallerAdmission.Credentials(CERTIFICATES.get("cert_backend"), OPS_KEY), local,
        "mcp.aaaa1111.tunnel.test", CALLERS, TUNNELS).reason())
        .isEqualTo("the client certificate names caller backend but the caller key names ops");
  }
}
