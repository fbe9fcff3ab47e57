package io.mcptunnel.ops.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFollowerTest {
  @TempDir
  Path dir;

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  @Test
  void startsAtTheEndAndReadsWhatIsAppendedLineByLine() throws Exception {
    Path log = dir.resolve("proxy.log");
    append(log, "old 1\nold 2\n");
    try (LogFollower f = new LogFollower(log, false)) {
      assertThat(f.poll()).isEmpty();
      append(log, "new 1\nnew 2\r\npart");
      assertThat(f.poll()).containsExactly("new 1", "new 2");
      append(log, "ial\n");
      assertThat(f.poll()).containsExactly("partial");
    }
  }

  @Test
  void fromStartReadsWhatIsThere() throws Exception {
    Path log = dir.resolve("proxy.log");
    append(log, "old 1\nold 2\n");
    try (LogFollower f = new LogFollower(log, true)) {
      assertThat(f.poll()).containsExactly("old 1", "old 2");
    }
  }

  @Test
  void aFileThatAppearsLaterIsReadFromItsStart() throws Exception {
    Path log = dir.resolve("later.log");
    try (LogFollower f = new LogFollower(log, false)) {
      assertThat(f.poll()).isEmpty();
      append(log, "first\n");
      assertThat(f.poll()).containsExactly("first");
    }
  }

  @Test
  void afterRotationDrainsTheOldFileThenReadsTheNewOneFromItsStart() throws Exception {
    Path log = dir.resolve("proxy.log");
    append(log, "a\n");
    try (LogFollower f = new LogFollower(log, false)) {
      append(log, "b\n");
      Files.move(log, dir.resolve("proxy.log.1"));
      append(dir.resolve("proxy.log.1"), "c\n"); // written by the old handle before it was reopened
      append(log, "d\n");
      assertThat(f.poll()).containsExactly("b", "c", "d");
      append(log, "e\n");
      assertThat(f.poll()).containsExactly("e");
    }
  }

  @Test
  void afterTruncationStartsAgainAtZero() throws Exception {
    Path log = dir.resolve("proxy.log");
    append(log, "a long first line\n");
    try (LogFollower f = new LogFollower(log, false)) {
      Files.writeString(log, "x\n", StandardOpenOption.TRUNCATE_EXISTING);
      assertThat(f.poll()).containsExactly("x");
    }
  }
}
