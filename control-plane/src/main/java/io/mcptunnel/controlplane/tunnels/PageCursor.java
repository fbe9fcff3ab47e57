package io.mcptunnel.controlplane.tunnels;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code page} / {@code next_page} value: the creation sequence of the last item shown,
 * so pages stay stable while tunnels are created or archived between requests.
 */
final class PageCursor {
  private static final String VERSION = "p1:";

  private PageCursor() {}

  static String encode(long lastSeq) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((VERSION + lastSeq).getBytes(StandardCharsets.UTF_8));
  }

  /** The sequence to continue below; a cursor we did not issue is a 400. */
  static long decode(String page) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(page), StandardCharsets.UTF_8);
      if (text.startsWith(VERSION)) {
        long seq = Long.parseLong(text.substring(VERSION.length()));
        if (seq > 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the uniform answer
    }
    throw TunnelApiException.invalid("page: not a page cursor returned by this API");
  }
}
