package io.mcptunnel.ops.incident;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops the mcptunnel process named by a pid file ({@code proxy run --pid-file}): SIGTERM, so it
 * drains as under an orchestrator, then SIGKILL after {@code grace}. A missing file, a dead pid or
 * a pid now used by another program is "not running"; the stale file is removed.
 */
public final class StopPidFile implements Step {
  private final Path pidFile;
  private final Duration grace;

  public StopPidFile(Path pidFile, Duration grace) {
    this.pidFile = pidFile;
    this.grace = grace;
  }

  @Override
  public String name() {
    return "stop " + pidFile;
  }

  @Override
  public Result run() throws IOException, InterruptedException {
    String text;
    try {
      text = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Result.already("not running (no pid file)");
    }
    long pid;
    try {
      pid = Long.parseLong(text);
    } catch (NumberFormatException e) {
      return Result.failed("the pid file does not hold a process id; stop the process yourself");
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      Files.deleteIfExists(pidFile);
      return Result.already("not running (pid " + pid + " is gone; stale pid file removed)");
    }
    Optional<String> part = ProcessIdentity.mcptunnelPart(commandLine(handle.get()));
    if (part.isEmpty()) {
      Files.deleteIfExists(pidFile);
      return Result.already("not running (pid " + pid + " is not an mcptunnel process;"
          + " left alone, stale pid file removed)");
    }
    ProcessHandle process = handle.get();
    process.destroy();
    try {
      if (exited(process, grace)) {
        return Result.done("stopped pid " + pid + " (" + part.get() + ")");
      }
      process.destroyForcibly();
      if (exited(process, Duration.ofSeconds(10))) {
        return Result.done("killed pid " + pid + " (" + part.get() + ") after a " + grace.toSeconds()
            + "s grace period");
      }
      return Result.failed("pid " + pid + " (" + part.get() + ") did not exit, even after SIGKILL");
    } finally {
      if (!process.isAlive()) {
        Files.deleteIfExists(pidFile);
      }
    }
  }

  /**
   * The full command line: {@code /proc/<pid>/cmdline} where there is one, since
   * {@link ProcessHandle.Info#commandLine()} drops the arguments of long command lines (a class
   * path of many jars), which would hide the entry point.
   */
  static Optional<String> commandLine(ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(process.pid()), "cmdline");
    try {
      byte[] raw = Files.readAllBytes(proc);
      if (raw.length > 0) {
        return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim());
      }
    } catch (IOException | SecurityException e) {
      // not Linux, or not ours to read: fall back to what the JDK knows
    }
    return process.info().commandLine();
  }

  private static boolean exited(ProcessHandle process, Duration wait) throws InterruptedException {
    try {
      process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return !process.isAlive();
    }
  }
}
