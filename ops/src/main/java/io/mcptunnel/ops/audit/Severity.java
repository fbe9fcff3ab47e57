package io.mcptunnel.ops.audit;

import java.util.Locale;

/** How bad a finding is, in rising order; {@code --fail-on} compares with {@link #atLeast}. */
public enum Severity {
  INFO, LOW, MEDIUM, HIGH, CRITICAL;

  public boolean atLeast(Severity threshold) {
    return compareTo(threshold) >= 0;
  }

  /** The lower-case name used on the command line, in text and in JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a label; the message lists the expected values. */
  public static Severity parse(String text) {
    for (Severity s : values()) {
      if (s.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("severity: " + text + " (expected: info, low, medium, high or critical)");
  }
}
