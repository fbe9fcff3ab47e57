package io.mcptunnel.ops.incident;

import java.util.Optional;

/**
 * Whether a live process named by a pid file is one of ours. Pids are reused: after a crash the
 * file may name a stranger, which must never get our SIGTERM. Only a command line that runs the
 * mcptunnel entry point ({@link #MAIN}, as the launcher and the container do) counts; an unreadable
 * command line (another user's process) does not.
 */
public final class ProcessIdentity {
  public static final String MAIN = "io.mcptunnel.cli.Main";

  private ProcessIdentity() {}

  /** The part the command line runs ({@code proxy}, {@code connector}, …), or empty when not mcptunnel. */
  public static Optional<String> mcptunnelPart(Optional<String> commandLine) {
    if (commandLine.isEmpty()) {
      return Optional.empty();
    }
    String[] words = commandLine.get().trim().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      if (words[i].equals(MAIN)) {
        return Optional.of(i + 1 < words.length && !words[i + 1].startsWith("-") ? words[i + 1] : "mcptunnel");
      }
    }
    return Optional.empty();
  }
}
