package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refusals of {@code proxy run}, in process (a successful run is {@link ProxyRunCommandIT}). */
class ProxyRunCommandTest {
  @TempDir
  Path dir;

  @Test
  void typoIsRefusedBeforeAnythingStarts() {
    ProxyFiles files = new ProxyFiles(dir);
    Path config = files.write("typo.yaml", """
        listen_addr: "127.0.0.1:0"
        tls: {cert_file: %s, key_fiel: %s}
        routes: {echo.mcp.test: "http://10.0.0.5:9000"}
        """.formatted(files.cert, files.key));
    CliRun run = CliRun.of("proxy", "run", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: unknown field \"tls.key_fiel\"").doesNotContain("at io.");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void portInUseIsAnOperatorErrorNotACrash() throws Exception {
    ProxyFiles files = new ProxyFiles(dir);
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config = files.config("127.0.0.1:" + taken.getLocalPort(), "127.0.0.1:" + ProxyFiles.freePort(), "");
      CliRun run = CliRun.of("proxy", "run", "--config", config.toString());
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).startsWith("mcptunnel: listen_addr 127.0.0.1:" + taken.getLocalPort() + ": ")
          .contains("in use").doesNotContain("at io.");
    }
  }
}
