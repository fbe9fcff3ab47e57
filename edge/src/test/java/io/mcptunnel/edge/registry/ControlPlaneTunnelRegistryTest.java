package io.mcptunnel.edge.registry;

import static io.mcptunnel.testing.ControlPlaneStandIn.archived;
import static io.mcptunnel.testing.ControlPlaneStandIn.live;
import static io.mcptunnel.edge.registry.RegistryFixtures.CA_A;
import static io.mcptunnel.edge.registry.RegistryFixtures.CA_B;
import static io.mcptunnel.edge.registry.RegistryFixtures.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcptunnel.testing.ControlPlaneStandIn;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestPki;
import io.mcptunnel.tunnel.TunnelProtocol;
import io.mcptunnel.tunnel.TunnelToken;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane's feed served by a loopback stand-in speaking the internal API contract. */
class ControlPlaneTunnelRegistryTest {
  static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA";
  static final String CREDENTIAL = "mcpti1.icl_000000000000000000000001." + SECRET;
  static final TunnelToken TOKEN_1 = token("tnl_1", "ttok_1", 1);
  static final TunnelToken TOKEN_2 = token("tnl_2", "ttok_2", 2);
  /** Short backoffs so outages and refusals are retried quickly; the long poll itself is real (25 s). */
  static final ControlPlaneTunnelRegistry.Timing FAST = new ControlPlaneTunnelRegistry.Timing(
      Duration.ofSeconds(5), 25, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100));

  @TempDir Path dir;
  ControlPlaneStandIn controlPlane;
  ControlPlaneTunnelRegistry registry;
  final BlockingQueue<TunnelState> changes = new LinkedBlockingQueue<>();

  @BeforeEach
  void standIn() throws IOException {
    controlPlane = new ControlPlaneStandIn(CREDENTIAL);
    controlPlane.publish(live("tnl_1", "aaaa1111.tunnels.test", "ttok_1", TOKEN_1.secretHash(), CA_A),
        live("tnl_2", "bbbb2222.tunnels.test", "ttok_2", TOKEN_2.secretHash(), CA_A, CA_B),
        archived("tnl_3", "cccc3333.tunnels.test"));
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    controlPlane.close();
  }

  ControlPlaneTunnelRegistry start(URI url, String credential) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    registry = new ControlPlaneTunnelRegistry(url, credential, http, FAST, Clock.systemUTC());
    registry.addListener(changes::add);
    return registry;
  }

  ControlPlaneTunnelRegistry start() {
    return start(controlPlane.url(), CREDENTIAL);
  }

  TunnelState nextChange() throws InterruptedException {
    TunnelState t = changes.poll(10, TimeUnit.SECONDS);
    assertThat(t).as("a change reported within the long poll").isNotNull();
    return t;
  }

  @Test
  void theSnapshotIsLoadedAtStartAndMappedToTunnelStates() {
    start();
    assertThat(registry.version()).isEqualTo(1);
    assertThat(registry.lastSync()).isNotNull();
    assertThat(registry.all()).extracting(TunnelState::id).containsExactlyInAnyOrder("tnl_1", "tnl_2", "tnl_3");
    TunnelState one = registry.byDomain("AAAA1111.tunnels.test.").orElseThrow();
    assertThat(one.id()).isEqualTo("tnl_1");
    assertThat(one.organization()).isEqualTo("org_1");
    assertThat(one.currentTokenId()).isEqualTo("ttok_1");
    assertThat(one.currentTokenHash()).isEqualTo(TOKEN_1.secretHash());
    assertThat(one.activeCas()).containsExactly(CA_A);
    assertThat(registry.byId("tnl_2").orElseThrow().activeCas()).containsExactly(CA_A, CA_B);
    TunnelState three = registry.byId("tnl_3").orElseThrow();
    assertThat(three.archived()).isTrue();
    assertThat(three.retiredTokenIds()).containsExactly("ttok_old");
    assertThat(three.hasActiveCa()).isFalse();

    assertThat(ConnectorAdmission.admit(TOKEN_1.encode(), registry).accepted()).isTrue();
    assertThat(ConnectorAdmission.admit(token("tnl_3", "ttok_x", 3).encode(), registry))
        .satisfies(a -> assertThat(a.reason()).isEqualTo(TunnelProtocol.TUNNEL_ARCHIVED));
    assertThat(changes).as("the initial load is not a change").isEmpty();
  }

  @Test
  void theCredentialIsSentAsABearerToken() throws Exception {
    start();
    assertThat(controlPlane.requests).isNotEmpty()
        .allSatisfy(seen -> assertThat(seen.authorization()).isEqualTo("Bearer " + CREDENTIAL));
  }

  @Test
  void aDeltaIsMergedAndOnlyTheChangedTunnelIsReported() throws Exception {
    start();
    TunnelToken rotated = token("tnl_1", "ttok_1b", 9);
    ObjectNode record = live("tnl_1", "aaaa1111.tunnels.test", "ttok_1b", rotated.secretHash(), CA_A);
    record.withArray("retired_token_ids").add("ttok_1");
    controlPlane.publish(record);

    TunnelState changed = nextChange();
    assertThat(changed.id()).isEqualTo("tnl_1");
    assertThat(changed.currentTokenId()).isEqualTo("ttok_1b");
    assertThat(registry.version()).isEqualTo(2);
    assertThat(registry.all()).hasSize(3);
    assertThat(ConnectorAdmission.admit(TOKEN_1.encode(), registry).reason()).isEqualTo(TunnelProtocol.TOKEN_ROTATED);
    assertThat(ConnectorAdmission.admit(rotated.encode(), registry).accepted()).isTrue();

    controlPlane.publish(archived("tnl_2", "bbbb2222.tunnels.test"));
    TunnelState archive = nextChange();
    assertThat(archive.id()).isEqualTo("tnl_2");
    assertThat(archive.archived()).isTrue();
    assertThat(changes.poll(200, TimeUnit.MILLISECONDS)).as("nothing else changed").isNull();
  }

  @Test
  void severedTokenIdsAreMappedAndAdmissionSaysRotated() throws Exception {
    start();
    TunnelToken rotated = token("tnl_1", "ttok_1b", 9);
    ObjectNode record = live("tnl_1", "aaaa1111.tunnels.test", "ttok_1b", rotated.secretHash(), CA_A);
    record.withArray("retired_token_ids").add("ttok_1");
    record.withArray("severed_token_ids").add("ttok_1");
    controlPlane.publish(record);

    TunnelState changed = nextChange();
    assertThat(changed.severedTokenIds()).containsExactly("ttok_1");
    assertThat(changed.severs("ttok_1")).isTrue();
    assertThat(changed.severs("ttok_1b")).isFalse();
    assertThat(ConnectorAdmission.admit(TOKEN_1.encode(), registry).reason()).isEqualTo(TunnelProtocol.TOKEN_ROTATED);
    assertThat(ConnectorAdmission.admit(rotated.encode(), registry).accepted()).isTrue();
    assertThat(registry.byId("tnl_2").orElseThrow().severedTokenIds()).as("absent field: nothing severed").isEmpty();
  }

  @Test
  void aRecordSeveringItsCurrentTokenIsIgnored() throws Exception {
    start();
    try (LogCapture logs = new LogCapture(ControlPlaneTunnelRegistry.class)) {
      ObjectNode broken = live("tnl_1", "aaaa1111.tunnels.test", "ttok_1", TOKEN_1.secretHash(), CA_A);
      broken.withArray("severed_token_ids").add("ttok_1");
      controlPlane.publish(broken, archived("tnl_2", "bbbb2222.tunnels.test"));

      assertThat(nextChange().id()).as("the other tunnel's change still applies").isEqualTo("tnl_2");
      assertThat(registry.byId("tnl_1").orElseThrow().severedTokenIds()).isEmpty();
      assertThat(logs.contains("control plane sent the current token as severed, ignored")).isTrue();
    }
  }

  @Test
  void aResetReplacesTheStateAndRemovedTunnelsAreReportedArchived() throws Exception {
    start();
    controlPlane.remove("tnl_2");
    controlPlane.resetOnce();

    TunnelState removed = nextChange();
    assertThat(removed.id()).isEqualTo("tnl_2");
    assertThat(removed.archived()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> registry.byId("tnl_2").isEmpty());
    assertThat(registry.all()).extracting(TunnelState::id).containsExactlyInAnyOrder("tnl_1", "tnl_3");
    assertThat(changes.poll(200, TimeUnit.MILLISECONDS)).as("unchanged tunnels are not reported").isNull();
  }

  @Test
  void anOutageKeepsTheStateWarnsOnceAndRecovers() throws Exception {
    start();
    try (LogCapture logs = new LogCapture(ControlPlaneTunnelRegistry.class)) {
      int before = controlPlane.requests.size();
      controlPlane.failWith(503);
      await().atMost(Duration.ofSeconds(10)).until(() -> controlPlane.requests.size() >= before + 5);
      assertThat(registry.byId("tnl_1")).isPresent();
      assertThat(ConnectorAdmission.admit(TOKEN_1.encode(), registry).accepted()).isTrue();
      assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().satisfies(l -> assertThat(l)
          .contains("control plane feed failed, keeping the last tunnel state", "HTTP 503", "stand-in failure"));

      controlPlane.failWith(0);
      controlPlane.publish(archived("tnl_1", "aaaa1111.tunnels.test"));
      assertThat(nextChange()).satisfies(t -> assertThat(t.archived()).isTrue());
      assertThat(logs.contains("control plane reachable again")).isTrue();
      assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN")).hasSize(1);
    }
  }

  @Test
  void aRefusedCredentialIsLoggedAsSuchWithoutTheCredential() throws Exception {
    start();
    try (LogCapture logs = new LogCapture()) {
      int before = controlPlane.requests.size();
      controlPlane.failWith(401);
      await().atMost(Duration.ofSeconds(10)).until(() -> controlPlane.requests.size() >= before + 3);
      assertThat(logs.contains("control plane refused the edge credential (HTTP 401")).isTrue();
      assertThat(logs.lines()).noneMatch(l -> l.contains(SECRET));
      assertThat(registry.byId("tnl_1")).isPresent();
      assertThat(logs.lines()).filteredOn(l -> l.contains("control plane feed failed")).as("once, not per retry")
          .hasSize(1);

      controlPlane.failWith(503); // the same outage, but no longer a refusal: said once more
      int now = controlPlane.requests.size();
      await().atMost(Duration.ofSeconds(10)).until(() -> controlPlane.requests.size() >= now + 3);
      assertThat(logs.lines()).filteredOn(l -> l.contains("control plane feed failed")).hasSize(2)
          .last().asString().contains("HTTP 503");
    }
  }

  @Test
  void startFailsClearlyWhenTheCredentialIsRefused() {
    assertThatThrownBy(() -> start(controlPlane.url(), "mcpti1.icl_000000000000000000000002.wrong" + SECRET))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("control_plane.url " + controlPlane.url())
        .hasMessageContaining("control plane refused the edge credential (HTTP 401: invalid internal credential)")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void startFailsClearlyWhenTheControlPlaneIsUnreachable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    assertThatThrownBy(() -> start(url, CREDENTIAL)).isInstanceOf(RegistryException.class)
        .hasMessageStartingWith("control_plane.url http://127.0.0.1:" + port + ": cannot load the tunnel state: ")
        .hasMessageContaining("connection refused")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void anUnreadableCaOnlyEmptiesThatTunnelsCas() throws Exception {
    start();
    ObjectNode bad = live("tnl_1", "aaaa1111.tunnels.test", "ttok_1", TOKEN_1.secretHash());
    bad.withArray("ca_certificates_pem").add("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
    try (LogCapture logs = new LogCapture(ControlPlaneTunnelRegistry.class)) {
      controlPlane.publish(bad, archived("tnl_2", "bbbb2222.tunnels.test"));
      await().atMost(Duration.ofSeconds(10)).until(() -> registry.version() == 2);
      assertThat(registry.byId("tnl_1").orElseThrow().hasActiveCa()).isFalse();
      assertThat(registry.byId("tnl_1").orElseThrow().archived()).isFalse();
      assertThat(registry.byId("tnl_2").orElseThrow().archived()).as("the rest of the update applies").isTrue();
      assertThat(logs.contains("unreadable CA certificate")).isTrue();
    }
  }

  @Test
  void aRecordWithoutATokenKeepsTheTunnelsPreviousStateEvenInAReset() throws Exception {
    start();
    ObjectNode broken = live("tnl_1", "aaaa1111.tunnels.test", "ttok_1", TOKEN_1.secretHash(), CA_A);
    broken.putNull("current_token");
    controlPlane.publish(broken);
    controlPlane.resetOnce();
    controlPlane.publish(live("tnl_2", "bbbb2222.tunnels.test", "ttok_2", TOKEN_2.secretHash(), CA_B));
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.version() == 3);
    assertThat(registry.byId("tnl_1").orElseThrow().currentTokenId()).isEqualTo("ttok_1");
    assertThat(changes).noneMatch(t -> t.id().equals("tnl_1"));
  }

  @Test
  void theCredentialFileIsTrimmedAndEmptyOrMissingFilesAreNamed() throws IOException {
    Path file = dir.resolve("edge.credential");
    Files.writeString(file, "  " + CREDENTIAL + "\n");
    assertThat(ControlPlaneTunnelRegistry.readCredential(file)).isEqualTo(CREDENTIAL);

    Files.writeString(file, " \n");
    assertThatThrownBy(() -> ControlPlaneTunnelRegistry.readCredential(file))
        .hasMessage("control_plane.credential_file: " + file + " is empty (expected the edge's internal credential, mcpti1.…)");
    Files.writeString(file, "Bearer " + CREDENTIAL);
    assertThatThrownBy(() -> ControlPlaneTunnelRegistry.readCredential(file))
        .hasMessageContaining("does not hold an internal credential").hasMessageNotContaining(SECRET);
    Path missing = dir.resolve("missing.credential");
    assertThatThrownBy(() -> ControlPlaneTunnelRegistry.connect(URI.create("https://cp.test"), missing, Optional.empty()))
        .isInstanceOf(RegistryException.class)
        .hasMessage("control_plane.credential_file: open " + missing + ": no such file or directory");
  }

  @Test
  void httpsIsVerifiedAgainstTheConfiguredCaFile() throws IOException {
    TestPki pki = TestPki.create("control-plane-ca");
    Path credential = Files.writeString(dir.resolve("edge.credential"), CREDENTIAL);
    Path caFile = pki.writeCa(dir.resolve("control-plane-ca.crt"));
    try (ControlPlaneStandIn https = new ControlPlaneStandIn(CREDENTIAL, pki.server("localhost"))) {
      https.publish(live("tnl_9", "9999.tunnels.test", "ttok_9", TOKEN_1.secretHash(), CA_A));
      try (ControlPlaneTunnelRegistry trusted = ControlPlaneTunnelRegistry.connect(https.url(), credential,
          Optional.of(caFile))) {
        assertThat(trusted.byId("tnl_9")).isPresent();
        assertThat(https.requests).isNotEmpty()
            .allSatisfy(seen -> assertThat(seen.authorization()).isEqualTo("Bearer " + CREDENTIAL));
      }
      // Without ca_file the system trust store is used, which does not know the test CA.
      assertThatThrownBy(() -> ControlPlaneTunnelRegistry.connect(https.url(), credential, Optional.empty()).close())
          .isInstanceOf(RegistryException.class)
          .hasMessageStartingWith("control_plane.url " + https.url() + ": cannot load the tunnel state: ")
          .hasMessageNotContaining(SECRET);
    }
  }
}
