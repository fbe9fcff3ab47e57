package io.mcptunnel.ops.monitor;

import java.time.Instant;
import java.util.List;

/** One detection: fed signals and the clock's time, answers the alerts it raises (usually none). */
interface Rule {
  String name();

  List<Alert> accept(Signal signal, Instant now);

  /** Time passing without signals; rules that compare rates evaluate here. */
  default List<Alert> tick(Instant now) {
    return List.of();
  }

  /** Whether repeats for the same source are held back by the cooldown (false: each alert is distinct). */
  default boolean cooledDown() {
    return true;
  }
}
