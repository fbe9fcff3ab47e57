package io.mcptunnel.cli.logging;

import static io.mcptunnel.cli.logging.JsonLineEncoderTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextLineEncoderTest {
  private static String encode(TextLineEncoder enc, ch.qos.logback.classic.spi.ILoggingEvent e) {
    return new String(enc.encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void timeLevelLoggerMessageThenPairs() {
    String line = encode(new TextLineEncoder(), event(Level.INFO, "proxy started", null,
        "routes", 2, "listen_addr", "127.0.0.1:8080", "note", "two words", "msg", "x"));
    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  "
        + "io\\.mcptunnel\\.proxy\\.ProxyServer proxy started routes=2 listen_addr=127\\.0\\.0\\.1:8080 "
        + "note=\"two words\" kv_msg=x\n");
  }

  @Test
  void lineBreaksAreEscapedAndErrorsHaveNoTrace() {
    String line = encode(new TextLineEncoder(), event(Level.WARN, "bad\nline", new IllegalArgumentException("nope"),
        "host", "a\nb"));
    assertThat(line).containsOnlyOnce("\n").contains("bad\\nline").contains("host=\"a\\nb\"")
        .endsWith(" error=\"java.lang.IllegalArgumentException: nope\"\n");
  }
}
