package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.mcptunnel.cli.logging.JsonLineEncoder;
import io.mcptunnel.connector.Connector;
import io.mcptunnel.connector.ConnectorConfig;
import io.mcptunnel.tunnel.TunnelToken;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code mcptunnel monitor} following the JSON log of a real edge and connectors (written by the
 * real encoder to a file): a connector registering from an address the state file does not know,
 * and a connector presenting a token the edge refuses, each raise their alert.
 */
class MonitorTunnelIT {
  @TempDir
  Path dir;

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final FileAppender<ILoggingEvent> file = new FileAppender<>();
  private Level rootLevel;
  private Path log;
  private ChildProcess monitor;
  private TunnelStack stack;
  private Connector impostor;

  @BeforeEach
  void logToAFile() {
    log = dir.resolve("tunnel.log");
    LoggerContext ctx = root.getLoggerContext();
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(ctx);
    encoder.start();
    file.setContext(ctx);
    file.setFile(log.toString());
    file.setEncoder(encoder);
    file.start();
    rootLevel = root.getLevel();
    root.setLevel(Level.INFO);
    root.addAppender(file);
  }

  @AfterEach
  void stop() throws Exception {
    if (impostor != null) {
      impostor.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (monitor != null) {
      monitor.close();
    }
    root.detachAppender(file);
    root.setLevel(rootLevel);
    file.stop();
  }

  @Test
  void aConnectorFromANewAddressAndARejectedTokenAreReported() throws Exception {
    Path state = Files.writeString(dir.resolve("monitor-state.json"),
        "{\"learning_until\": \"2026-01-01T00:00:00Z\", \"connector_hosts\": [\"10.0.0.1\"]}\n");
    monitor = ChildProcess.mcptunnel(dir, Map.of(), List.of("monitor", "--log", "tunnel=" + log,
        "--state", state.toString(), "--burst", "0", "--for", "3m"));
    monitor.awaitLine(l -> l.equals("monitor: watching 1 log and 0 metrics endpoints"), 30);

    stack = new TunnelStack(dir, Map.of("echo", "http://127.0.0.1:9"));
    await().atMost(Duration.ofSeconds(30)).until(() -> monitor.stdout.stream()
        .anyMatch(l -> l.contains(" new-connector-address [tunnel] ")));
    assertThat(monitor.stdout).singleElement().asString()
        .contains(" CRITICAL new-connector-address [tunnel] connector of tunnel tnl_gw registered from 127.0.0.1, "
            + "an address not seen before (known: 10.0.0.1); example: msg=\"connector registered\" connector_id=")
        .contains(" tunnel=tnl_gw");
    assertThat(Files.readString(state)).contains("\"127.0.0.1\"");

    // Same tunnel, same token id, wrong secret: the edge refuses it and the connector logs why.
    String forged = TunnelToken.generate("tnl_gw", "tok_1").encode();
    impostor = Connector.start(new ConnectorConfig(List.of(stack.edge.connectorAddress()), "edge.test",
        Optional.of(stack.edgeCa), () -> forged, URI.create("ws://127.0.0.1:9/"), 1, Duration.ofSeconds(1),
        new InetSocketAddress("127.0.0.1", 0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> monitor.stdout.stream()
        .anyMatch(l -> l.contains(" token-rejected [tunnel] ")));
    String rejected = monitor.stdout.stream().filter(l -> l.contains(" token-rejected [tunnel] ")).findFirst().orElseThrow();
    assertThat(rejected).contains(" CRITICAL token-rejected [tunnel] 1 rejected connector tokens in 5m0s (threshold 1); "
        + "example: msg=");
    assertThat(rejected).contains("token rejected: unknown token").doesNotContain(forged);
    // The second registration from 127.0.0.1 (the stack's other connection) raised nothing more.
    assertThat(monitor.stdout).hasSize(2);
  }
}
