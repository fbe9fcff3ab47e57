package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.mcptunnel.cli.logging.JsonLineEncoder;
import io.mcptunnel.cli.logging.TextLineEncoder;
import io.mcptunnel.tunnel.TunnelProtocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.KeyValuePair;
import picocli.CommandLine;

/**
 * {@code mcptunnel monitor --once} on edge and connector lines written by the real log encoders
 * (the events the edge's ConnectorListener and the connector's supervisor log), read from stdin
 * and from a file, plus option and rules-file errors.
 */
class MonitorCommandTest {
  @TempDir
  Path dir;

  private static LoggingEvent event(String logger, Level level, String msg, Object... kv) {
    LoggingEvent e = new LoggingEvent("x", new LoggerContext().getLogger(logger), level, msg, null, null);
    for (int i = 0; i < kv.length; i += 2) {
      e.addKeyValuePair(new KeyValuePair((String) kv[i], kv[i + 1]));
    }
    return e;
  }

  /** What the edge and a connector log when a connector with a rotated token tries, then a good one registers. */
  private static List<LoggingEvent> edgeAndConnectorEvents() {
    return List.of(
        event("io.mcptunnel.edge.ConnectorListener", Level.INFO, "connector registered",
            "tunnel", "tnl_1", "connector_id", "c-1", "remote", "/10.1.0.7:40000"),
        event("io.mcptunnel.edge.ConnectorListener", Level.WARN, "connector refused",
            "remote", "/10.1.0.8:40001", "tunnel", "tnl_1", "reason", TunnelProtocol.TOKEN_ROTATED),
        event("io.mcptunnel.connector.ConnectorSupervisor", Level.ERROR, TunnelProtocol.TOKEN_ROTATED,
            "slot", 0, "edge", "edge.example.test:443", "status", 401, "retry_in", "PT1S"),
        event("io.mcptunnel.edge.ConnectorListener", Level.INFO, "connector registered",
            "tunnel", "tnl_1", "connector_id", "c-2", "remote", "/192.0.2.50:41000"));
  }

  private static String encode(ch.qos.logback.core.encoder.Encoder<ch.qos.logback.classic.spi.ILoggingEvent> enc) {
    StringBuilder b = new StringBuilder();
    edgeAndConnectorEvents().forEach(e -> b.append(new String(enc.encode(e), StandardCharsets.UTF_8)));
    return b.toString();
  }

  private record Run(int exit, String out, String err) {}

  private static Run monitor(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      CommandLine cl = Main.commandLine(o, e);
      ((MonitorCommand) cl.getSubcommands().get("monitor").getCommand()).stdin =
          new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
      String[] all = new String[args.length + 1];
      all[0] = "monitor";
      System.arraycopy(args, 0, all, 1, args.length);
      code = cl.execute(all);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<String> rules(String out) {
    return out.lines().map(l -> l.split(" ")[2] + " " + l.split(" ")[3]).toList();
  }

  @Test
  void jsonLinesOnStdinRaiseTokenAndNewAddressAlerts() {
    Run r = monitor(encode(new JsonLineEncoder()), "--log", "edge=-", "--once", "--learn", "0s");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(rules(r.out())).containsExactly(
        "new-connector-address [edge]", "token-rejected [edge]", "new-connector-address [edge]");
    assertThat(r.out().lines().toList().get(1)).endsWith(" CRITICAL token-rejected [edge] 1 rejected connector "
        + "tokens in 5m0s (threshold 1); example: msg=\"connector refused\" reason=\"token rejected: rotated\" "
        + "remote=/10.1.0.8:40001 tunnel=tnl_1");
    assertThat(r.out().lines().toList().get(2)).contains("connector of tunnel tnl_1 registered from 192.0.2.50, "
        + "an address not seen before (known: 10.1.0.7)");
    assertThat(r.err()).isEqualTo("monitor: watching 1 log and 0 metrics endpoints (one pass)\n");
  }

  @Test
  void textLinesFromAFileWithTheDefaultLearningPeriodRaiseOnlyTheTokenAlerts() throws Exception {
    Path log = Files.writeString(dir.resolve("edge.log"), encode(new TextLineEncoder()));
    Run r = monitor("", "--log", "edge=" + log, "--once");
    assertThat(r.exit()).as(r.err()).isZero();
    // The connector's own line comes from the same file here, so it is the same source: one alert per cooldown.
    assertThat(rules(r.out())).containsExactly("token-rejected [edge]");
  }

  @Test
  void stateFileRemembersAddressesSoASecondRunIsQuiet() {
    Path state = dir.resolve("monitor.state");
    String lines = encode(new JsonLineEncoder());
    Run first = monitor(lines, "--log", "edge=-", "--once", "--learn", "0s", "--state", state.toString(),
        "--token-rejections", "0");
    assertThat(rules(first.out())).containsExactly("new-connector-address [edge]", "new-connector-address [edge]");
    Run second = monitor(lines, "--log", "edge=-", "--once", "--learn", "0s", "--state", state.toString(),
        "--token-rejections", "0");
    assertThat(second.out()).isEmpty();
  }

  @Test
  void rulesFileThresholdsApplyAndFlagsWin() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yaml"), "token_rejections: {count: 3}\nwarn_error_burst: {count: 2}\n");
    Run fromFile = monitor(encode(new JsonLineEncoder()), "--log", "edge=-", "--once", "--rules", rules.toString());
    assertThat(rules(fromFile.out())).containsExactly("warn-error-burst [edge]");
    Run flagWins = monitor(encode(new JsonLineEncoder()), "--log", "edge=-", "--once", "--rules", rules.toString(),
        "--burst", "0", "--token-rejections", "2");
    assertThat(rules(flagWins.out())).containsExactly("token-rejected [edge]");
  }

  @Test
  void anEndpointThatCannotBeScrapedIsOneAlertAfterTheConsecutiveFailures() {
    int closed = ProxyFiles.freePort();
    Run r = monitor("", "--metrics", "proxy=http://127.0.0.1:" + closed + "/metrics", "--interval", "100ms",
        "--scrape-failures", "3", "--for", "2s");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines()).singleElement().asString().endsWith(" WARNING scrape-failure [proxy] 3 consecutive "
        + "metrics scrapes failed (threshold 3): scrape http://127.0.0.1:" + closed + " failed: connection refused");
  }

  @Test
  void badInputIsOneLineAndTheRightExitCode() throws Exception {
    Run nothing = monitor("", "--once");
    assertThat(nothing.exit()).isEqualTo(1);
    assertThat(nothing.err()).isEqualTo("mcptunnel: nothing to watch (expected at least one --log NAME=FILE or "
        + "--metrics NAME=URL)\n");

    Path rules = Files.writeString(dir.resolve("rules.yaml"), "ip_refusals: {treshold: 1}\n");
    Run typo = monitor("", "--log", "a=-", "--once", "--rules", rules.toString());
    assertThat(typo.exit()).isEqualTo(1);
    assertThat(typo.err()).isEqualTo("mcptunnel: unknown field \"ip_refusals.treshold\" (known fields of "
        + "ip_refusals: count, window)\n");

    Run hook = monitor("", "--log", "a=-", "--once", "--webhook", "hooks.example/T0KEN");
    assertThat(hook.exit()).isEqualTo(2);
    assertThat(hook.err()).startsWith("--webhook: not an http(s) URL (expected e.g. http://127.0.0.1:9090/metrics)\n")
        .doesNotContain("T0KEN");

    Run both = monitor("", "--log", "a=-", "--once", "--for", "1m");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).startsWith("--once and --for cannot be combined\n");
  }
}
