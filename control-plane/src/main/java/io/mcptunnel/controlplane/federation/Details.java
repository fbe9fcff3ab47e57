package io.mcptunnel.controlplane.federation;

/**
 * Makes caller-controlled strings (claims of a not-yet-verified JWT) safe to put in a log line or
 * a history record: bounded length, no control characters that could forge log lines.
 */
final class Details {
  static final int MAX = 200;

  private Details() {}

  static String quote(Object value) {
    if (value == null) {
      return "<absent>";
    }
    String s = String.valueOf(value);
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX) + 8).append('\'');
    for (int i = 0; i < s.length() && i < MAX; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    if (s.length() > MAX) {
      out.append("…");
    }
    return out.append('\'').toString();
  }

  /** The same bounding for values stored as fields (subject, issuer), without quotes. */
  static String bounded(String value) {
    if (value == null) {
      return null;
    }
    String q = quote(value);
    return q.substring(1, q.length() - 1);
  }
}
