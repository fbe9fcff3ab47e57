package io.mcptunnel.cli;

import io.mcptunnel.common.McptunnelException;
import io.mcptunnel.common.SecureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --pid-file}: this process's id, written atomically at start (so {@code mcptunnel incident}
 * never reads half a number) and removed on a clean exit. Not a lock: a stale file is harmless,
 * incident and teardown check the process is mcptunnel before signalling it.
 */
final class PidFile {
  private PidFile() {}

  /** Writes the file; returns the action that removes it (a no-op for null). */
  static Runnable write(Path file) {
    if (file == null) {
      return () -> { };
    }
    try {
      SecureFiles.write(file, ProcessHandle.current().pid() + "\n", SecureFiles.PUBLIC);
    } catch (IOException e) {
      throw new McptunnelException("--pid-file " + file + ": cannot write (" + e.getMessage() + ")", e);
    }
    return () -> {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // best effort on the way out; a stale file is recognised as stale
      }
    };
  }
}
