package io.mcptunnel.ops.incident;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code docker compose -f FILE stop|down}. Without docker (or a daemon) the step fails with the
 * command to run by hand; the runbook goes on with the other steps.
 */
public final class ComposeCommand implements Step {
  private final Path file;
  private final String action;
  private final String docker;

  /** {@code action}: {@code stop} (incident, keeps containers for forensics) or {@code down} (teardown). */
  public ComposeCommand(Path file, String action) {
    this(file, action, "docker");
  }

  ComposeCommand(Path file, String action, String docker) {
    this.file = file;
    this.action = action;
    this.docker = docker;
  }

  @Override
  public String name() {
    return "docker compose " + action;
  }

  @Override
  public Result run() throws InterruptedException {
    List<String> command = List.of(docker, "compose", "-f", file.toString(), action);
    String manual = "run `docker compose -f " + file + " " + action + "` yourself";
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return Result.failed("docker is not installed or not on PATH; " + manual);
    }
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      output = "";
    }
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return Result.failed("docker compose did not finish within 120s; " + manual);
    }
    if (process.exitValue() != 0) {
      String last = output.isEmpty() ? "" : output.lines().reduce((a, b) -> b).orElse("");
      return Result.failed("docker compose exited with " + process.exitValue()
          + (last.isEmpty() ? "" : " (" + last + ")") + "; " + manual);
    }
    return Result.done("ran docker compose -f " + file + " " + action);
  }
}
