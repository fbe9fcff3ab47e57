package io.mcptunnel.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.controlplane.audit.AuditEvent;
import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.tenancy.Organizations;
import io.mcptunnel.controlplane.tunnels.Actor;
import io.mcptunnel.controlplane.tunnels.RevealedToken;
import io.mcptunnel.controlplane.tunnels.Tunnel;
import io.mcptunnel.controlplane.tunnels.TunnelCertificate;
import io.mcptunnel.controlplane.tunnels.TunnelService;
import io.mcptunnel.controlplane.tunnels.TunnelServiceConfig;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.testing.MutableClock;
import io.mcptunnel.testing.TestPki;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nothing is lost across a restart: write, close the database, open the same URL, read back. */
abstract class RestartContract {
  private static final byte[] KEY = "restart-test-key-restart-test-key-0123".getBytes();

  abstract TestDatabase kind();

  @Test
  void stateSurvivesCloseAndReopen() {
    String url = kind().freshUrl();
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    Actor actor = new Actor("org_restart", "wrkspc_restart", "user:carol", "192.0.2.1");
    Tunnel tunnel;
    Tunnel archived;
    TunnelCertificate cert;
    RevealedToken token;
    try (Database db = Database.open(url)) {
      Organizations organizations = new Organizations(db, clock);
      organizations.createOrganization(actor.organizationId(), null);
      organizations.createWorkspace(actor.workspaceId(), actor.organizationId());
      TunnelService service = service(db, clock);
      tunnel = service.create(actor, "kept");
      cert = service.registerCertificate(actor, tunnel.id(),
          PemFiles.toPem(TestPki.create("restart CA").ca().certificate()));
      token = service.rotateToken(actor, tunnel.id(), "before restart");
      archived = service.archive(actor, service.create(actor, "gone").id());
    }

    try (Database db = Database.open(url)) {
      TunnelService service = service(db, clock);
      assertThat(service.get(actor, tunnel.id())).isEqualTo(tunnel);
      assertThat(service.get(actor, archived.id())).isEqualTo(archived);
      assertThat(service.listCertificates(actor, tunnel.id())).containsExactly(cert);
      assertThat(service.revealToken(actor, tunnel.id())).isEqualTo(token);
      List<AuditEvent> events = new AuditLog(db).query(actor.organizationId(), 0, 100);
      assertThat(events).extracting(AuditEvent::action).containsExactly("tunnel.create",
          "tunnel.certificate.register", "tunnel.token.rotate", "tunnel.create", "tunnel.archive",
          "tunnel.token.reveal");
    }
  }

  private static TunnelService service(Database db, MutableClock clock) {
    return new TunnelService(db, new AuditLog(db), clock,
        TunnelServiceConfig.of("tunnels.example.test", KEY));
  }
}
