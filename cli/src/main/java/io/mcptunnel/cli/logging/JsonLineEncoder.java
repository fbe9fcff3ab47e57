package io.mcptunnel.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcptunnel.common.LogKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code msg}, then each
 * SLF4J key-value pair as a top-level field, then {@code error}. Deliberately nothing else (no MDC,
 * no thread name): every field is one a call site chose to log, so no secret rides along.
 */
public class JsonLineEncoder extends LineEncoder {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final byte[] NEWLINE = {'\n'};

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(buf)) {
      g.writeStartObject();
      g.writeStringField(LogKeys.TIME, LogFields.time(event));
      g.writeStringField(LogKeys.LEVEL, event.getLevel().toString());
      g.writeStringField(LogKeys.LOGGER, event.getLoggerName());
      g.writeStringField(LogKeys.MSG, event.getFormattedMessage());
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      if (pairs != null) {
        for (KeyValuePair kv : pairs) {
          g.writeFieldName(LogFields.key(kv.key));
          writeValue(g, kv.value);
        }
      }
      String error = LogFields.error(event);
      if (error != null) {
        g.writeStringField(LogKeys.ERROR, error);
        if (includeStackTrace) {
          g.writeStringField(LogKeys.STACK, ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    buf.writeBytes(NEWLINE);
    return buf.toByteArray();
  }

  /** Numbers and booleans keep their JSON type so log queries can compare them. */
  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      g.writeNumber(((Number) v).doubleValue());
    } else if (v instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (v instanceof BigDecimal b) {
      g.writeNumber(b);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeString(v.toString());
    }
  }
}
