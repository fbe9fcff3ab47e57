package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcptunnel quickstart} as a newcomer runs it, in a child JVM: with {@code --exit} it sets
 * everything up, calls {@code hello} through the tunnel and exits 0; a second run in the same folder
 * reuses the tunnel; without {@code --exit} it serves the printed gateway URL to any MCP client
 * until SIGTERM, then stops every part and exits 0.
 */
class QuickstartCommandIT {
  static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
  /** The secret files quickstart and the parts it starts write; none may be readable by others or printed. */
  static final List<String> SECRETS = List.of("control-plane/admin.token", "credentials/edge.credential",
      "credentials/caller.credential", "credentials/caller.key", "credentials/issuer-key.jwk",
      "credentials/identity-token", "edge/tls.key", "tunnel/tunnel-token", "tunnel/ca.key", "tunnel/tls.key");

  @TempDir Path tmp;

  @Test
  void exitModeCallsHelloThroughTheTunnelAndASecondRunReusesTheTunnel() throws Exception {
    Path dir = tmp.resolve("qs");
    List<String> first = run(dir);
    assertThat(first).anyMatch(l -> l.startsWith("[1/9] control plane listening on http://127.0.0.1:"))
        .anyMatch(l -> l.startsWith("[2/9] onboarded organization org_"))
        .anyMatch(l -> l.startsWith("[4/9] setup init: created tunnel tnl_"))
        .anyMatch(l -> l.startsWith("[7/9] connector: "))
        .anyMatch(l -> l.startsWith("[9/9] called hello") && l.endsWith("Hello, tunnel!"))
        .noneMatch(l -> l.startsWith("caller gateway:"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    String tunnelId = Files.readString(dir.resolve("tunnel/tunnel-id")).trim();
    assertThat(first).anyMatch(l -> l.contains(tunnelId));
    assertSecretsKept(dir, first);

    List<String> second = run(dir);
    assertThat(second).anyMatch(l -> l.startsWith("[2/9] reusing organization"))
        .anyMatch(l -> l.startsWith("[4/9] setup init: reused tunnel " + tunnelId))
        .anyMatch(l -> l.endsWith("Hello, tunnel!"));
    assertThat(Files.readString(dir.resolve("tunnel/tunnel-id")).trim()).isEqualTo(tunnelId);
    assertSecretsKept(dir, second);
  }

  @Test
  void withoutExitItServesTheGatewayUntilSigterm() throws Exception {
    Path dir = tmp.resolve("serve");
    try (ChildProcess qs = ChildProcess.mcptunnel(tmp, Map.of(),
        List.of("quickstart", "--dir", dir.toString(), "--gateway-port", "0"))) {
      qs.awaitLine(l -> l.startsWith("caller gateway: "), 180);
      String url = qs.stdout.stream().filter(l -> l.startsWith("caller gateway: ")).findFirst().orElseThrow()
          .substring("caller gateway: ".length());
      assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/mcp\\.[a-z0-9]{8}\\.tunnels\\.quickstart\\.test/mcp");
      URI uri = URI.create(url);
      McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport
              .builder("http://127.0.0.1:" + uri.getPort()).endpoint(uri.getPath()).build())
          .requestTimeout(Duration.ofSeconds(30)).build();
      try {
        client.initialize();
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest("hello", Map.of("name", "MCP client")));
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("Hello, MCP client!");
      } finally {
        client.closeGracefully();
      }
      Set<Integer> ports = ports(qs.stdout);
      assertThat(ports).hasSizeGreaterThanOrEqualTo(6);
      assertThat(ports).allMatch(QuickstartCommandIT::listening);

      qs.sigterm();
      assertThat(qs.awaitExit(60)).as("stdout %s stderr %s", qs.stdout, qs.stderr).isZero();
      assertThat(qs.stdout).contains("stopped");
      assertThat(ports).noneMatch(QuickstartCommandIT::listening);
      assertSecretsKept(dir, concat(qs.stdout, qs.stderr));
    }
  }

  @Test
  void aFailureWhileStartingStopsWhatWasStartedAndExitsOneWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ChildProcess qs = ChildProcess.mcptunnel(tmp, Map.of(), List.of("quickstart", "--exit",
            "--dir", tmp.resolve("busy").toString(), "--gateway-port", Integer.toString(taken.getLocalPort())))) {
      assertThat(qs.awaitExit(180)).as("stdout %s stderr %s", qs.stdout, qs.stderr).isEqualTo(1);
      assertThat(qs.stdout).anyMatch(l -> l.startsWith("[7/9] connector: "));
      assertThat(qs.stderr).hasSize(1);
      assertThat(qs.stderr.get(0)).startsWith("mcptunnel: quickstart: step 8/9 failed: caller gateway: ")
          .contains("--gateway-port");
      Set<Integer> started = ports(qs.stdout);
      started.remove(taken.getLocalPort());
      assertThat(started).hasSizeGreaterThanOrEqualTo(5).noneMatch(QuickstartCommandIT::listening);
    }
  }

  private List<String> run(Path dir) throws Exception {
    try (ChildProcess qs = ChildProcess.mcptunnel(tmp, Map.of(), List.of("quickstart", "--exit", "--dir", dir.toString()))) {
      int status = qs.awaitExit(180);
      assertThat(status).as("stdout %s stderr %s", qs.stdout, qs.stderr).isZero();
      assertThat(qs.stdout).contains("done: the call through the tunnel answered Hello, tunnel!");
      return concat(qs.stdout, qs.stderr);
    }
  }

  /** Every secret file is owner-only and no line of it shows up in the output. */
  private static void assertSecretsKept(Path dir, List<String> output) throws IOException {
    String all = String.join("\n", output);
    for (String name : SECRETS) {
      Path file = dir.resolve(name);
      assertThat(file).as(name).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(name).isEqualTo("rw-------");
      try (Stream<String> lines = Files.lines(file)) {
        lines.map(String::trim).filter(l -> l.length() >= 16 && !l.startsWith("-----"))
            .forEach(secret -> assertThat(all).as("output must not contain a line of %s", name).doesNotContain(secret));
      }
    }
  }

  private static Set<Integer> ports(List<String> lines) {
    Set<Integer> ports = new TreeSet<>();
    for (String line : lines) {
      Matcher m = PORT.matcher(line);
      while (m.find()) {
        ports.add(Integer.parseInt(m.group(1)));
      }
    }
    return ports;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
