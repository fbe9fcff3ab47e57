package io.mcptunnel.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.controlplane.audit.AuditLog;
import io.mcptunnel.controlplane.tenancy.Organizations;
import io.mcptunnel.controlplane.tunnels.Actor;
import io.mcptunnel.controlplane.tunnels.RevealedToken;
import io.mcptunnel.controlplane.tunnels.TokenKeyFile;
import io.mcptunnel.controlplane.tunnels.TokenVerdict;
import io.mcptunnel.controlplane.tunnels.Tunnel;
import io.mcptunnel.controlplane.tunnels.TunnelService;
import io.mcptunnel.controlplane.tunnels.TunnelServiceConfig;
import io.mcptunnel.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartH2Test extends RestartContract {
  @Override
  TestDatabase kind() {
    return TestDatabase.H2;
  }

  @Test
  void theEmbeddedDefaultKeepsTunnelsAndTokenValuesAcrossARestart(@TempDir Path dataDirectory) {
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    Actor actor = new Actor("org_default", "wrkspc_default", "user:frank", "127.0.0.1");
    Tunnel tunnel;
    RevealedToken token;
    try (Database db = Database.openDataDirectory(dataDirectory)) {
      Organizations organizations = new Organizations(db, clock);
      organizations.createOrganization(actor.organizationId(), null);
      organizations.createWorkspace(actor.workspaceId(), actor.organizationId());
      TunnelService service = embedded(db, clock, dataDirectory);
      tunnel = service.create(actor, null);
      token = service.revealToken(actor, tunnel.id());
    }
    try (Database db = Database.openDataDirectory(dataDirectory)) {
      TunnelService service = embedded(db, clock, dataDirectory);
      assertThat(service.get(actor, tunnel.id())).isEqualTo(tunnel);
      assertThat(service.revealToken(actor, tunnel.id())).isEqualTo(token);
      assertThat(service.checkToken(token.tunnelToken())).isEqualTo(TokenVerdict.VALID);
    }
  }

  private static TunnelService embedded(Database db, MutableClock clock, Path dataDirectory) {
    return new TunnelService(db, new AuditLog(db), clock,
        TunnelServiceConfig.of("tunnels.example.test", TokenKeyFile.loadOrCreate(dataDirectory)));
  }

  @Test
  void theEmbeddedDefaultIsOneFileUnderTheDataDirectory(@TempDir Path dataDirectory) {
    try (Database db = Database.openDataDirectory(dataDirectory.resolve("data"))) {
      assertThat(db.dataSource()).isNotNull();
    }
    assertThat(Files.exists(dataDirectory.resolve("data").resolve(Database.FILE_NAME + ".mv.db"))).isTrue();
  }
}
