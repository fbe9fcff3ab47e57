package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.ops.monitor.Signal.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogSignalsTest {
  static Stream<Arguments> lines() {
    return Stream.of(
        Arguments.of("access line", Lines.request(200), new Kind[] {Kind.REQUEST}),
        Arguments.of("egress refusal", Lines.ipRefusal("10.9.9.9"), new Kind[] {Kind.WARN_OR_ERROR, Kind.IP_REFUSAL}),
        Arguments.of("proxy tls", Lines.proxyTlsFailure(), new Kind[] {Kind.WARN_OR_ERROR, Kind.TLS_FAILURE}),
        Arguments.of("edge caller tls", "{\"level\":\"WARN\",\"msg\":\"caller TLS handshake refused\",\"source\":\"10.0.0.1\"}",
            new Kind[] {Kind.WARN_OR_ERROR, Kind.TLS_FAILURE}),
        Arguments.of("edge: rotated", Lines.edgeTokenRefused("token rejected: rotated"),
            new Kind[] {Kind.WARN_OR_ERROR, Kind.TOKEN_REJECTED}),
        Arguments.of("edge: unknown", Lines.edgeTokenRefused("token rejected: unknown token"),
            new Kind[] {Kind.WARN_OR_ERROR, Kind.TOKEN_REJECTED}),
        Arguments.of("edge: archived", Lines.edgeTokenRefused("tunnel archived"),
            new Kind[] {Kind.WARN_OR_ERROR, Kind.TOKEN_REJECTED}),
        Arguments.of("edge: bad upgrade is no token", Lines.edgeTokenRefused("expected an upgrade to mcptunnel"),
            new Kind[] {Kind.WARN_OR_ERROR}),
        Arguments.of("connector: rotated", Lines.connectorRejected("token rejected: rotated"),
            new Kind[] {Kind.WARN_OR_ERROR, Kind.TOKEN_REJECTED}),
        Arguments.of("connector: archived", Lines.connectorRejected("tunnel archived"),
            new Kind[] {Kind.WARN_OR_ERROR, Kind.TOKEN_REJECTED}),
        Arguments.of("registered", Lines.registered("/10.1.0.7:40000"), new Kind[] {Kind.CONNECTOR_REGISTERED}),
        Arguments.of("connection lost", Lines.edgeConnectionLost(), new Kind[] {Kind.WARN_OR_ERROR}),
        Arguments.of("info chatter", "{\"level\":\"INFO\",\"msg\":\"proxy started\"}", new Kind[] {}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void eachMessageIsItsSignals(String name, String line, Kind[] kinds) {
    LogEvent e = LogLineParser.parse(line).orElseThrow();
    assertThat(LogSignals.of("src", e)).extracting(Signal::kind).containsExactly(kinds);
  }
}
