package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneCommandTest {
  @TempDir Path dir;

  @Test
  void checkPrintsTheEffectiveConfiguration() throws Exception {
    Path config = Files.writeString(dir.resolve("cp.yaml"), "tunnel_zone: tunnels.example.com\ndata_dir: "
        + dir + "\n");
    CliRun run = CliRun.of("control-plane", "check", "--config", config.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("config OK", "tunnelZone=tunnels.example.com", "database=embedded",
        "listen=/127.0.0.1:7850");
  }

  @Test
  void aBadFileIsOneLineAndExit1() throws Exception {
    Path config = Files.writeString(dir.resolve("cp.yaml"), "tunnel_zone: tunnels.example.com\nlisten_addr: x\n");
    CliRun run = CliRun.of("control-plane", "check", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("listen_addr").doesNotContain("Exception");
    assertThat(CliRun.of("control-plane", "run", "--config", dir.resolve("missing.yaml").toString()).exit())
        .isEqualTo(1);
  }

  @Test
  void aBareGroupIsAUsageError() {
    assertThat(CliRun.of("control-plane").exit()).isEqualTo(2);
  }
}
