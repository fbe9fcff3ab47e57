package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogLineParserTest {
  @Test
  void jsonLineGivesLevelMessageAndFieldsAsText() {
    LogEvent e = LogLineParser.parse(Lines.request(200)).orElseThrow();
    assertThat(e.level()).isEqualTo("INFO");
    assertThat(e.msg()).isEqualTo("request");
    assertThat(e.field("route")).isEqualTo("echo");
    assertThat(e.field("status")).isEqualTo("200");
    assertThat(e.fields()).doesNotContainKeys("time", "level", "logger", "msg");
  }

  @Test
  void textLineSplitsMessageFromTrailingPairs() {
    LogEvent e = LogLineParser.parse("2026-11-26T20:00:00.000Z WARN  io.mcptunnel.proxy.UpstreamConnections "
        + "IP validation failed: 10.9.9.9 is not in allowed_ips route=db upstream=10.9.9.9:5432 reason=NOT_ALLOWED "
        + "note=\"two words \\\"quoted\\\"\"").orElseThrow();
    assertThat(e.level()).isEqualTo("WARN");
    assertThat(e.msg()).isEqualTo("IP validation failed: 10.9.9.9 is not in allowed_ips");
    assertThat(e.fields()).containsAllEntriesOf(Map.of("route", "db", "upstream", "10.9.9.9:5432",
        "reason", "NOT_ALLOWED", "note", "two words \"quoted\""));
  }

  @Test
  void textLineWithoutPairsIsAllMessage() {
    LogEvent e = LogLineParser.parse("2026-11-26T20:00:00.000Z ERROR io.mcptunnel.connector.ConnectorSupervisor "
        + "token rejected: rotated").orElseThrow();
    assertThat(e.msg()).isEqualTo("token rejected: rotated");
    assertThat(e.warnOrError()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   at io.mcptunnel.Foo.bar(Foo.java:1)", "{not json", "[1,2]", "{\"level\":\"WARN\"}",
      "plain words without a level"})
  void anythingElseIsNoEvent(String line) {
    assertThat(LogLineParser.parse(line)).isEmpty();
  }
}
