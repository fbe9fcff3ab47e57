package io.mcptunnel.netty.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The access-log line of a relayed exchange: logger {@code mcptunnel.access}, message
 * {@code request}. It names the request by method, host and path without the query string, and
 * never carries a header value: queries and headers are where tokens travel.
 */
public final class AccessLog {
  private static final Logger ACCESS = LoggerFactory.getLogger("mcptunnel.access");

  private AccessLog() {}

  public static boolean enabled() {
    return ACCESS.isInfoEnabled();
  }

  /** The fields every relay logs; a relay adds its own and calls {@code log("request")}. */
  public static LoggingEventBuilder line(ExchangeRecord x, String remote, String host) {
    String uri = x.request().uri();
    int q = uri.indexOf('?');
    return ACCESS.atInfo()
        .addKeyValue("request_id", x.id())
        .addKeyValue("remote", remote)
        .addKeyValue("method", x.request().method().name())
        .addKeyValue("host", host)
        .addKeyValue("path", q < 0 ? uri : uri.substring(0, q))
        .addKeyValue("status", x.status())
        .addKeyValue("bytes_in", x.bytesIn())
        .addKeyValue("bytes_out", x.bytesOut())
        .addKeyValue("duration_ms", x.took().toNanos() / 1_000_000.0);
  }
}
