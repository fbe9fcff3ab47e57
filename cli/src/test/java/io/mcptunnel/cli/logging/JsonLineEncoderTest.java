package io.mcptunnel.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static LoggingEvent event(Level level, String msg, Throwable t, Object... kv) {
    LoggerContext ctx = new LoggerContext();
    LoggingEvent e = new LoggingEvent("x", ctx.getLogger("io.mcptunnel.proxy.ProxyServer"), level, msg, t, null);
    for (int i = 0; i < kv.length; i += 2) {
      e.addKeyValuePair(new KeyValuePair((String) kv[i], kv[i + 1]));
    }
    return e;
  }

  private static String encode(JsonLineEncoder enc, LoggingEvent e) {
    return new String(enc.encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void oneParseableObjectPerLineWithBaseFieldsAndTypedPairs() throws Exception {
    String line = encode(new JsonLineEncoder(), event(Level.INFO, "proxy started", null,
        "listen_addr", "127.0.0.1:8080", "routes", 3, "bytes", 12345678901L, "ratio", 0.5,
        "tls", true, "none", null));
    assertThat(line).endsWith("\n").containsOnlyOnce("\n");
    JsonNode json = MAPPER.readTree(line);
    assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("logger").asText()).isEqualTo("io.mcptunnel.proxy.ProxyServer");
    assertThat(json.get("msg").asText()).isEqualTo("proxy started");
    assertThat(json.get("listen_addr").asText()).isEqualTo("127.0.0.1:8080");
    assertThat(json.get("routes").isIntegralNumber()).isTrue();
    assertThat(json.get("routes").asInt()).isEqualTo(3);
    assertThat(json.get("bytes").asLong()).isEqualTo(12345678901L);
    assertThat(json.get("ratio").isDouble()).isTrue();
    assertThat(json.get("tls").isBoolean()).isTrue();
    assertThat(json.get("none").isNull()).isTrue();
    assertThat(List.of(json.fieldNames().next())).containsExactly("time");
    assertThat(json.has("error")).isFalse();
  }

  @Test
  void pairsNamedLikeBaseFieldsArePrefixedInsteadOfOverwriting() throws Exception {
    JsonNode json = MAPPER.readTree(encode(new JsonLineEncoder(),
        event(Level.WARN, "real message", null, "msg", "forged", "level", "DEBUG", "time", 1)));
    assertThat(json.get("msg").asText()).isEqualTo("real message");
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("kv_msg").asText()).isEqualTo("forged");
    assertThat(json.get("kv_level").asText()).isEqualTo("DEBUG");
    assertThat(json.get("kv_time").asInt()).isEqualTo(1);
  }

  @Test
  void escapingKeepsHostileTextOnOneLine() throws Exception {
    String line = encode(new JsonLineEncoder(),
        event(Level.INFO, "a\"b\nc\u0001", null, "host", "evil\r\n{\"level\":\"ERROR\"}"));
    assertThat(line).containsOnlyOnce("\n");
    JsonNode json = MAPPER.readTree(line);
    assertThat(json.get("msg").asText()).isEqualTo("a\"b\nc\u0001");
    assertThat(json.get("host").asText()).isEqualTo("evil\r\n{\"level\":\"ERROR\"}");
  }

  @Test
  void errorIsClassAndMessageWithoutStackTrace() throws Exception {
    String line = encode(new JsonLineEncoder(), event(Level.ERROR, "tls handshake failed",
        new IllegalStateException("no shared cipher")));
    assertThat(line).containsOnlyOnce("\n").doesNotContain("\tat ").doesNotContain("JsonLineEncoderTest");
    JsonNode json = MAPPER.readTree(line);
    assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: no shared cipher");
    assertThat(json.has("stack")).isFalse();
  }

  @Test
  void debugLoggingAddsTheStackTraceAsAField() throws Exception {
    JsonLineEncoder enc = new JsonLineEncoder();
    enc.setIncludeStackTrace(true);
    JsonNode json = MAPPER.readTree(encode(enc, event(Level.ERROR, "boom", new RuntimeException("x"))));
    assertThat(json.get("error").asText()).isEqualTo("java.lang.RuntimeException: x");
    assertThat(json.get("stack").asText()).contains("JsonLineEncoderTest");
  }
}
