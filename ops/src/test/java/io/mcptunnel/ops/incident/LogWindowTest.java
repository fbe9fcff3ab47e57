package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogWindowTest {
  static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-05-01T10:00:00Z"),
      Instant.parse("2026-05-01T11:00:00Z"));

  static List<String> kept(String... lines) {
    LogWindow filter = new LogWindow(WINDOW);
    return List.of(lines).stream().filter(filter::keep).toList();
  }

  @Test
  void jsonLinesByTheirTimeField() {
    assertThat(kept(
        "{\"time\":\"2026-05-01T09:59:59.999Z\",\"msg\":\"before\"}",
        "{\"time\":\"2026-05-01T10:00:00Z\",\"msg\":\"at since\"}",
        "{\"time\":\"2026-05-01T12:30:00+02:00\",\"msg\":\"offset, 10:30Z\"}",
        "{\"time\":\"2026-05-01T11:00:00Z\",\"msg\":\"at until\"}",
        "{\"time\":\"2026-05-01T11:00:00.001Z\",\"msg\":\"after\"}"))
        .containsExactly(
            "{\"time\":\"2026-05-01T10:00:00Z\",\"msg\":\"at since\"}",
            "{\"time\":\"2026-05-01T12:30:00+02:00\",\"msg\":\"offset, 10:30Z\"}",
            "{\"time\":\"2026-05-01T11:00:00Z\",\"msg\":\"at until\"}");
  }

  @Test
  void textLinesByALeadingTimestampAndContinuationLinesFollowTheirParent() {
    assertThat(kept(
        "orphan line before any timestamp",
        "2026-05-01T09:00:00Z ERROR before",
        "\tat Before.java:1",
        "2026-05-01T10:15:00.123Z ERROR inside",
        "\tat Inside.java:2",
        "Caused by: x",
        "2026-05-01T11:30:00Z INFO after",
        "\tat After.java:3"))
        .containsExactly("2026-05-01T10:15:00.123Z ERROR inside", "\tat Inside.java:2", "Caused by: x");
  }

  @Test
  void aJsonLineWithoutTimeIsAContinuation() {
    assertThat(kept("2026-05-01T10:15:00Z INFO in", "{\"msg\":\"no time\"}", "not json {"))
        .containsExactly("2026-05-01T10:15:00Z INFO in", "{\"msg\":\"no time\"}", "not json {");
  }
}
