package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A process started by a test, its output collected line by line, killed on close if still running. */
final class ChildProcess implements AutoCloseable {
  final Process process;
  final List<String> stdout = new CopyOnWriteArrayList<>();
  final List<String> stderr = new CopyOnWriteArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private ChildProcess(Process process) {
    this.process = process;
    outReader = drain(process.getInputStream(), stdout);
    errReader = drain(process.getErrorStream(), stderr);
  }

  static ChildProcess start(Path dir, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    try {
      return new ChildProcess(pb.start());
    } catch (IOException e) {
      throw new IOException("cannot run `" + command.get(0) + "`: " + e.getMessage(), e);
    }
  }

  /** {@code mcptunnel ARGS...} in a fresh JVM with this test's class path. */
  static ChildProcess mcptunnel(Path dir, Map<String, String> env, List<String> args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    return start(dir, env, command);
  }

  /** Waits until a line on either stream matches, failing early if the process exits. */
  void awaitLine(Predicate<String> matches, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (stdout.stream().anyMatch(matches) || stderr.stream().anyMatch(matches)) {
        return;
      }
      if (!process.isAlive()) {
        fail("the process exited with %d; stdout: %s stderr: %s", process.exitValue(), stdout, stderr);
      }
      Thread.sleep(50);
    }
    fail("no matching line within %d s; stdout: %s stderr: %s", seconds, stdout, stderr);
  }

  /** SIGTERM, as an orchestrator sends it (not {@code Process.destroy()}, which also closes our pipe ends). */
  void sigterm() {
    process.toHandle().destroy();
  }

  /** The exit status, once the output up to the end is read too. */
  int awaitExit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      fail("still running after %d s; stdout: %s stderr: %s", seconds, stdout, stderr);
    }
    outReader.join(5_000);
    errReader.join(5_000);
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private static Thread drain(InputStream in, List<String> into) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          into.add(line);
        }
      } catch (IOException closed) {
        // the process ended
      }
    }, "child-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
