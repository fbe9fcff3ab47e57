package io.mcptunnel.ops.incident;

import io.mcptunnel.common.GoDuration;
import io.mcptunnel.common.McptunnelException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The suspected-compromise window {@code [since, until]}, both inclusive. */
public record TimeWindow(Instant since, Instant until) {
  public TimeWindow {
    if (until.isBefore(since)) {
      throw new McptunnelException("--until " + until + " is before --since " + since);
    }
  }

  /** {@code --since}/{@code --until}: RFC 3339 ({@code 2026-05-01T10:00:00Z}) or a duration back from now ({@code 2h}). */
  public static Instant parse(String flag, String text, Instant now) {
    String t = text == null ? "" : text.trim();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException notRfc3339) {
      try {
        return now.minus(GoDuration.parse(t));
      } catch (RuntimeException notDuration) {
        throw new McptunnelException(flag + ": \"" + text + "\" (expected an RFC 3339 time such as"
            + " 2026-05-01T10:00:00Z or a duration back from now such as 2h)");
      }
    }
  }

  public boolean contains(Instant t) {
    return !t.isBefore(since) && !t.isAfter(until);
  }
}
