package io.mcptunnel.controlplane.internal;

import java.util.Locale;
import java.util.Optional;

/** What an internal client may read: the edge feed, or a caller's CA lookup. */
public enum InternalRole {
  EDGE,
  CALLER;

  /** The wire name: {@code edge} or {@code caller}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<InternalRole> parse(String value) {
    for (InternalRole r : values()) {
      if (r.wireName().equals(value)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
