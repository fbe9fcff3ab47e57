package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.ops.monitor.Signal.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NewConnectorAddressRuleTest {
  private static final Instant T0 = Instant.parse("2026-11-26T20:00:00Z");

  private static List<Alert> registered(NewConnectorAddressRule rule, String remote, Instant at) {
    return rule.accept(Signal.of("edge", Kind.CONNECTOR_REGISTERED, LogLineParser.parse(Lines.registered(remote))
        .orElseThrow()), at);
  }

  @ParameterizedTest
  @CsvSource({
      "/10.1.0.7:40000, 10.1.0.7",
      "connector.internal/10.1.0.7:40000, 10.1.0.7",
      "'/[0:0:0:0:0:0:0:1]:40000', 0:0:0:0:0:0:0:1",
      "/0:0:0:0:0:0:0:1:40000, 0:0:0:0:0:0:0:1",
      "10.1.0.7, 10.1.0.7",
  })
  void hostOfTheEdgesRemoteField(String remote, String host) {
    assertThat(NewConnectorAddressRule.host(remote)).isEqualTo(host);
  }

  @Test
  void learnsSilentlyThenAlertsOncePerNewHostIgnoringPorts() {
    NewConnectorAddressRule rule = new NewConnectorAddressRule(KnownAddresses.inMemory(T0, Duration.ofMinutes(10)));
    assertThat(registered(rule, "/10.1.0.7:40000", T0.plusSeconds(5))).isEmpty();
    assertThat(registered(rule, "/10.1.0.8:40001", T0.plusSeconds(9 * 60))).isEmpty();
    assertThat(registered(rule, "/10.1.0.7:50000", T0.plusSeconds(11 * 60))).isEmpty();
    List<Alert> alerts = registered(rule, "/192.0.2.50:41000", T0.plusSeconds(12 * 60));
    assertThat(alerts).singleElement().satisfies(a -> {
      assertThat(a.rule()).isEqualTo("new-connector-address");
      assertThat(a.summary()).isEqualTo("connector of tunnel tnl_abc registered from 192.0.2.50, an address not seen "
          + "before (known: 10.1.0.7, 10.1.0.8)");
      assertThat(a.example()).containsEntry("msg", "connector registered").containsEntry("tunnel", "tnl_abc");
    });
    assertThat(registered(rule, "/192.0.2.50:41001", T0.plusSeconds(13 * 60))).isEmpty();
  }

  @Test
  void learnZeroAlertsFromTheFirstRegistration() {
    NewConnectorAddressRule rule = new NewConnectorAddressRule(KnownAddresses.inMemory(T0, Duration.ZERO));
    assertThat(registered(rule, "/10.1.0.7:40000", T0)).hasSize(1);
  }

  @Test
  void stateFileKeepsKnownHostsAndTheLearningDeadlineAcrossRestarts(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("monitor-state.json");
    NewConnectorAddressRule first = new NewConnectorAddressRule(KnownAddresses.load(state, T0, Duration.ofMinutes(10)));
    assertThat(registered(first, "/10.1.0.7:40000", T0.plusSeconds(60))).isEmpty();
    assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    // Restarted after the deadline: the learned host stays quiet, a new one alerts, and the
    // restart did not open a new learning period.
    Instant later = T0.plusSeconds(3600);
    NewConnectorAddressRule second = new NewConnectorAddressRule(KnownAddresses.load(state, later, Duration.ofMinutes(10)));
    assertThat(registered(second, "/10.1.0.7:40002", later)).isEmpty();
    assertThat(registered(second, "/10.1.0.9:40003", later)).hasSize(1);
    assertThat(Files.readString(state)).contains("10.1.0.9");
  }

  @Test
  void aFileThatIsNoStateFileIsRefusedByName(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("state.json");
    Files.writeString(state, "hello");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KnownAddresses.load(state, T0, Duration.ZERO))
        .isInstanceOf(MonitorException.class)
        .hasMessage("state file " + state + ": not a monitor state file (expected JSON with learning_until and connector_hosts)");
  }
}
