package io.mcptunnel.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcptunnel.testing.ControlPlaneStandIn;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.MutableClock;
import io.mcptunnel.testing.TestPki;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caller's CA lookup against a stand-in control plane on a loopback socket. */
class ControlPlaneTunnelCasTest {
  static final String DOMAIN = "ab12cd34.tunnels.test";
  static final String CREDENTIAL = "mcpti1.icl_000000000000000000000001.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I";
  static final X509Certificate CA = TestPki.create("tunnel-ca").ca().certificate();
  static final X509Certificate OTHER_CA = TestPki.create("other-ca").ca().certificate();

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  ControlPlaneStandIn cp;
  ControlPlaneTunnelCas cas;

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneStandIn(CREDENTIAL);
    cp.publish(ControlPlaneStandIn.live("tnl_1", DOMAIN, List.of(CA)));
    cas = ControlPlaneTunnelCas.create(cp.url(), CREDENTIAL, Optional.empty(), clock);
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  Optional<List<X509Certificate>> lookup(String host) throws Exception {
    try {
      return cas.forHost(host).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void aRouteHostIsLookedUpWithTheBearerCredential() throws Exception {
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    assertThat(cp.requests).containsExactly(
        new ControlPlaneStandIn.Seen(ControlPlaneStandIn.CAS_PATH, "mcp." + DOMAIN, "Bearer " + CREDENTIAL));
  }

  @Test
  void noActiveTunnelIsEmptyAndBelievedForASecond() throws Exception {
    assertThat(lookup("mcp.unknown.test")).isEmpty();
    assertThat(lookup("mcp.unknown.test")).isEmpty();
    assertThat(cp.requests).hasSize(1);
    clock.advance(ControlPlaneTunnelCas.NOT_FOUND_FRESH);
    assertThat(lookup("mcp.unknown.test")).isEmpty();
    assertThat(cp.requests).hasSize(2);
  }

  @Test
  void answersAreCachedPerTunnelDomainForTheirTimeOnly() throws Exception {
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    clock.advance(ControlPlaneTunnelCas.FRESH.minusMillis(1));
    // Another route of the same tunnel: the domain's answer serves it, no request.
    assertThat(lookup("files." + DOMAIN)).contains(List.of(CA));
    assertThat(cas.forHost("mcp." + DOMAIN)).isCompleted();
    assertThat(cp.requests).hasSize(1);

    cp.publish(ControlPlaneStandIn.live("tnl_1", DOMAIN, List.of(OTHER_CA)));
    clock.advance(Duration.ofMillis(1));
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(OTHER_CA));
    assertThat(cp.requests).hasSize(2);
  }

  @Test
  void aRefusalAgainstACachedAnswerMakesTheNextLookupAskAgain() throws Exception {
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    // A CA rotation: the tunnel now has both CAs and the proxy serves a certificate of the new one.
    cp.publish(ControlPlaneStandIn.live("tnl_1", DOMAIN, List.of(CA, OTHER_CA)));
    clock.advance(ControlPlaneTunnelCas.REFUSAL_REFRESH_AFTER);
    cas.refused("mcp." + DOMAIN, List.of(CA));
    assertThat(lookup("files." + DOMAIN)).contains(List.of(CA, OTHER_CA));
    assertThat(cp.requests).hasSize(2);
    // The fresh answer is cached as usual.
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA, OTHER_CA));
    assertThat(cp.requests).hasSize(2);
  }

  @Test
  void aRefusalKeepsAnAnswerThatIsTooYoungOrNotTheOneRefused() throws Exception {
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    // Just fetched: as fresh as the control plane can tell; a proxy serving a certificate of no
    // registered CA does not make every request ask again.
    cas.refused("mcp." + DOMAIN, List.of(CA));
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    clock.advance(ControlPlaneTunnelCas.REFUSAL_REFRESH_AFTER);
    // A refusal against another list (a newer answer is cached) keeps the cached one.
    cas.refused("mcp." + DOMAIN, List.of(OTHER_CA));
    cas.refused("mcp.other.test", List.of(CA));
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    assertThat(cp.requests).hasSize(1);
  }

  @Test
  void aRefusedAnswerStillBridgesAnOutage() throws Exception {
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    clock.advance(Duration.ofSeconds(2));
    cas.refused("mcp." + DOMAIN, List.of(CA));
    cp.failWith(503);
    try (LogCapture log = new LogCapture(ControlPlaneTunnelCas.class)) {
      assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    }
    assertThat(cp.requests).hasSize(2);
  }

  @Test
  void overlappingLookupsOfAHostShareOneRequest() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    cp.holdRequestsUntil(gate);
    List<CompletableFuture<Optional<List<X509Certificate>>>> lookups = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      lookups.add(cas.forHost("mcp." + DOMAIN));
    }
    gate.countDown();
    for (var f : lookups) {
      assertThat(f.get(10, TimeUnit.SECONDS)).contains(List.of(CA));
    }
    assertThat(cp.requests).hasSize(1);
  }

  @Test
  void anOutageIsBridgedByAnAnswerUpToFiveMinutesOldWithOneWarning() throws Exception {
    assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
    cp.failWith(503);
    try (LogCapture log = new LogCapture(ControlPlaneTunnelCas.class)) {
      clock.advance(Duration.ofMinutes(2));
      assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
      clock.advance(Duration.ofMinutes(2));
      assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
      assertThat(log.lines()).filteredOn(l -> l.startsWith("WARN")).hasSize(1);
      assertThat(log.lines().get(0)).contains("HTTP 503");

      clock.advance(Duration.ofMinutes(1));
      assertThatThrownBy(() -> lookup("mcp." + DOMAIN))
          .isInstanceOf(TunnelCallException.class)
          .hasMessage("control plane unreachable: it answered HTTP 503")
          .satisfies(e -> assertThat(((TunnelCallException) e).status()).isEqualTo(503));

      cp.failWith(0);
      assertThat(lookup("mcp." + DOMAIN)).contains(List.of(CA));
      assertThat(log.contains("tunnel CA lookups succeed again")).isTrue();
    }
  }

  @Test
  void anUnreachableControlPlaneWithNothingCachedIsAClearError() throws Exception {
    cp.close();
    assertThatThrownBy(() -> lookup("mcp." + DOMAIN))
        .isInstanceOf(TunnelCallException.class)
        .hasMessageStartingWith("control plane unreachable: ")
        .satisfies(e -> assertThat(((TunnelCallException) e).status()).isEqualTo(503));
  }

  @Test
  void aRefusedCredentialIsLoggedAndReportedWithoutTheCredential() throws Exception {
    cp.failWith(401);
    try (LogCapture log = new LogCapture(ControlPlaneTunnelCas.class)) {
      assertThatThrownBy(() -> lookup("mcp." + DOMAIN))
          .isInstanceOf(TunnelCallException.class)
          .hasMessageContaining("refused this caller's credential (401")
          .satisfies(e -> assertThat(((TunnelCallException) e).status()).isEqualTo(502))
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CREDENTIAL).doesNotContain("c2VjcmV0"));
      assertThat(log.contains("refused this caller's credential (401")).isTrue();
      assertThat(String.join("\n", log.lines())).doesNotContain("c2VjcmV0").doesNotContain("mcpti1.");
    }
    assertThat(cas.toString()).doesNotContain("c2VjcmV0");
  }

  @Test
  void httpIsRefusedExceptToLoopbackAndHttpsIsRequired() {
    for (String url : List.of("http://127.0.0.1:8080", "http://localhost:8080/", "http://[::1]:8080",
        "https://control-plane.example.com", "https://10.0.0.1/base")) {
      assertThat(ControlPlaneTunnelCas.checkUrl(URI.create(url)).toString()).doesNotEndWith("/");
    }
    for (String url : List.of("http://control-plane.example.com", "http://10.0.0.1:8080",
        "http://localhost.evil.example")) {
      assertThatThrownBy(() -> ControlPlaneTunnelCas.create(URI.create(url), CREDENTIAL, Optional.empty(), clock))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("would send the caller's control plane credential in clear")
          .hasMessageNotContaining(CREDENTIAL);
    }
    assertThatThrownBy(() -> ControlPlaneTunnelCas.checkUrl(URI.create("ftp://cp.example")))
        .hasMessageContaining("expected an https URL");
  }

  @Test
  void overHttpsTheControlPlaneCertificateIsCheckedAgainstTheGivenCa() throws Exception {
    TestPki cpPki = TestPki.create("control-plane-ca");
    try (ControlPlaneStandIn tls = new ControlPlaneStandIn(CREDENTIAL, cpPki.server("localhost"))) {
      tls.publish(ControlPlaneStandIn.live("tnl_1", DOMAIN, List.of(CA)));
      URI url = URI.create("https://localhost:" + tls.port());
      var trusting = ControlPlaneTunnelCas.create(url, CREDENTIAL,
          Optional.of(List.of(cpPki.ca().certificate())), clock);
      assertThat(trusting.forHost("mcp." + DOMAIN).get(10, TimeUnit.SECONDS)).contains(List.of(CA));

      var other = ControlPlaneTunnelCas.create(url, CREDENTIAL, Optional.of(List.of(OTHER_CA)), clock);
      assertThatThrownBy(() -> other.forHost("mcp." + DOMAIN).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TunnelCallException.class)
          .cause().hasMessageStartingWith("control plane unreachable: ");
      assertThat(tls.requests).hasSize(1);
    }
  }
}
