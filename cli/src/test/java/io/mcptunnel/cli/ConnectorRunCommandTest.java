package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.tunnel.TunnelToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Start-up refusals of {@code connector run}, in process (a running connector is {@link ConnectorRunCommandIT}). */
class ConnectorRunCommandTest {
  static final String TOKEN = TunnelToken.generate("tnl_test", "tok_1").encode();

  @TempDir
  Path dir;

  @AfterEach
  void restoreEnvironment() {
    ConnectorRunCommand.environment = System::getenv;
  }

  static void env(Map<String, String> vars) {
    ConnectorRunCommand.environment = vars::get;
  }

  /** {@code connector run} with a valid --url and --edge unless {@code extra} gives its own. */
  static CliRun run(String... extra) {
    List<String> args = new ArrayList<>(List.of("connector", "run"));
    List<String> given = List.of(extra);
    if (!given.contains("--url")) {
      args.addAll(List.of("--url", "http://localhost:8080"));
    }
    if (!given.contains("--edge")) {
      args.addAll(List.of("--edge", "127.0.0.1:7844"));
    }
    args.addAll(given);
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void helpExitsZeroAndListsTheFlags() {
    CliRun run = CliRun.of("connector", "run", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Usage: mcptunnel connector run").contains("--url").contains("--edge")
        .contains("--token-file").contains("TUNNEL_TOKEN").contains("--ha-connections").contains("--grace-period")
        .contains("--admin");
    assertThat(CliRun.of("--help").out()).contains("connector");
  }

  @Test
  void aMissingTokenIsAnOperatorError() {
    env(Map.of());
    CliRun run = run();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: no tunnel token").contains("TUNNEL_TOKEN").contains("--token-file")
        .doesNotContain("at io.");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aTokenGivenTwiceIsRefused() throws Exception {
    env(Map.of("TUNNEL_TOKEN", TOKEN));
    Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    CliRun run = run("--token-file", file.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: the tunnel token is given twice").doesNotContain(TOKEN)
        .doesNotContain("at io.");
  }

  @Test
  void aMalformedTokenIsRefusedWithoutEchoingIt() throws Exception {
    env(Map.of());
    String secret = "not-a-token-but-secret-" + System.nanoTime();
    Path file = Files.writeString(dir.resolve("token"), secret);
    CliRun run = run("--token-file", file.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: --token-file ").contains("does not hold a tunnel token")
        .doesNotContain(secret);

    env(Map.of("TUNNEL_TOKEN", secret));
    CliRun fromEnv = run();
    assertThat(fromEnv.exit()).isEqualTo(1);
    assertThat(fromEnv.err()).startsWith("mcptunnel: TUNNEL_TOKEN does not hold a tunnel token").doesNotContain(secret);
  }

  @Test
  void anUnreadableTokenFileIsNamed() {
    env(Map.of());
    CliRun run = run("--token-file", dir.resolve("missing").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: --token-file " + dir.resolve("missing") + ": cannot read");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--url  | ftp://localhost:8080          | --url",
      "--url  | localhost:8080                | --url",
      "--url  | http://localhost:8080/mcp     | --url",
      "--url  | http://user:pw@localhost:8080 | --url",
      "--edge | edge.example:notaport         | --edge",
      "--edge | edge.example:70000            | --edge",
      "--admin | 127.0.0.1                    | --admin",
      "--ha-connections | 0                   | --ha-connections",
  })
  void aBadFlagIsNamed(String flag, String value, String named) {
    env(Map.of("TUNNEL_TOKEN", TOKEN));
    CliRun run = run(flag, value);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: " + named).doesNotContain("at io.").doesNotContain("pw@");
  }

  @Test
  void theUrlBecomesTheProxysWebSocketAddress() {
    assertThat(ConnectorRunCommand.origin("http://localhost:8080").toString()).isEqualTo("ws://localhost:8080/");
    assertThat(ConnectorRunCommand.origin("https://proxy.internal").toString()).isEqualTo("wss://proxy.internal:443/");
    assertThat(ConnectorRunCommand.origin("http://[::1]:8080/").toString()).isEqualTo("ws://[::1]:8080/");
    assertThat(ConnectorRunCommand.hostPort("--edge", "edge.example", true).getPort()).isEqualTo(7844);
    assertThat(ConnectorRunCommand.hostPort("--edge", "[::1]:9000", true).getHostString()).isEqualTo("::1");
  }
}
