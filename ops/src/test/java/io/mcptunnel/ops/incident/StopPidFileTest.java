package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stale-pid-file cases; stopping a real mcptunnel process is covered by the cli's IncidentIT. */
class StopPidFileTest {
  @TempDir
  Path dir;

  @Test
  void aMissingPidFileIsNotRunning() throws Exception {
    assertThat(new StopPidFile(dir.resolve("proxy.pid"), Duration.ofSeconds(1)).run())
        .isEqualTo(Step.Result.already("not running (no pid file)"));
  }

  @Test
  void aPidReusedByAnotherProgramIsLeftAlone() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "60").start();
    try {
      Path pidFile = Files.writeString(dir.resolve("proxy.pid"), stranger.pid() + "\n");
      Step.Result result = new StopPidFile(pidFile, Duration.ofSeconds(1)).run();
      assertThat(result).isEqualTo(Step.Result.already("not running (pid " + stranger.pid()
          + " is not an mcptunnel process; left alone, stale pid file removed)"));
      assertThat(stranger.isAlive()).isTrue();
      assertThat(pidFile).doesNotExist();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void aDeadPidIsNotRunning() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path pidFile = Files.writeString(dir.resolve("c.pid"), Long.toString(gone.pid()));
    assertThat(new StopPidFile(pidFile, Duration.ofSeconds(1)).run().message())
        .isEqualTo("not running (pid " + gone.pid() + " is gone; stale pid file removed)");
  }

  @Test
  void garbageIsAFailure() throws Exception {
    Path pidFile = Files.writeString(dir.resolve("c.pid"), "twelve");
    assertThat(new StopPidFile(pidFile, Duration.ofSeconds(1)).run())
        .isEqualTo(Step.Result.failed("the pid file does not hold a process id; stop the process yourself"));
  }
}
