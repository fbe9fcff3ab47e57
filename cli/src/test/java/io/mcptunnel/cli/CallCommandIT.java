package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.sample.SampleMcpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcptunnel call}: one tool call through the whole tunnel by the MCP Java SDK client. */
class CallCommandIT {
  @TempDir static Path dir;
  static SampleMcpServer mcp;
  static TunnelStack stack;

  @BeforeAll
  static void start() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    stack = new TunnelStack(dir, Map.of("mcp", mcp.url()));
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
    mcp.close();
  }

  static CliRun call(String... args) {
    List<String> all = new ArrayList<>(List.of("call"));
    all.addAll(List.of(args));
    all.addAll(stack.callerArgs());
    return CliRun.of(all.toArray(String[]::new));
  }

  @Test
  void printsTheToolResult() {
    CliRun r = call("https://mcp." + TunnelStack.DOMAIN + "/mcp", "--tool", "echo", "--args",
        "{\"message\": \"hello through the tunnel\"}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("hello through the tunnel\n");
    assertThat(r.out() + r.err()).doesNotContain(TunnelStack.CALLER_KEY);
  }

  @Test
  void aCallerAuthenticatedByItsClientCertificateNeedsNoKey() {
    List<String> all = new ArrayList<>(List.of("call", "https://mcp." + TunnelStack.DOMAIN + "/mcp", "--tool", "echo",
        "--args", "{\"message\": \"by certificate\"}"));
    all.addAll(stack.certificateCallerArgs());
    CliRun r = CliRun.of(all.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("by certificate\n");
  }

  @Test
  void argumentsAreJsonValues() {
    CliRun r = call("https://mcp." + TunnelStack.DOMAIN + "/mcp", "--tool", "add", "--args", "{\"a\": 2, \"b\": 40}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("42");
  }

  @Test
  void aHostOfNoConfiguredTunnelFailsWithTheReason() {
    CliRun r = call("https://mcp.other.example/mcp", "--tool", "echo", "--timeout", "10s");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("the call failed").doesNotContain("\tat ");
  }

  @Test
  void badInputIsNamedBeforeAnythingConnects() {
    assertThat(call("http://mcp." + TunnelStack.DOMAIN + "/mcp", "--tool", "echo").err())
        .contains("URL: expected https://<route>.<tunnel-domain>/<path>");
    assertThat(call("https://127.0.0.1/mcp", "--tool", "echo").err()).contains("is not a tunnel host name");
    assertThat(call("https://mcp." + TunnelStack.DOMAIN + "/mcp", "--tool", "echo", "--args", "[1]").err())
        .contains("--args: expected a JSON object");
    assertThat(call("https://mcp." + TunnelStack.DOMAIN + "/mcp", "--tool", "echo", "--args", "{oops").err())
        .contains("--args: not valid JSON");
  }
}
