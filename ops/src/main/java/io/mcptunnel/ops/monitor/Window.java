package io.mcptunnel.ops.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** Counts in a sliding time window: (time, count) entries, older ones dropped as time passes. */
final class Window {
  private record Entry(Instant at, long count, LogEvent example) {}

  private final Duration length;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private long total;

  Window(Duration length) {
    this.length = length;
  }

  void add(Instant at, long count, LogEvent example) {
    entries.addLast(new Entry(at, count, example));
    total += count;
  }

  long total(Instant now) {
    Instant oldest = now.minus(length);
    while (!entries.isEmpty() && !entries.peekFirst().at().isAfter(oldest)) {
      total -= entries.removeFirst().count();
    }
    return total;
  }

  Instant firstSeen() {
    return entries.isEmpty() ? null : entries.peekFirst().at();
  }

  /** The newest log event in the window, for an alert's example. */
  LogEvent example() {
    var it = entries.descendingIterator();
    while (it.hasNext()) {
      LogEvent e = it.next().example();
      if (e != null) {
        return e;
      }
    }
    return null;
  }
}
