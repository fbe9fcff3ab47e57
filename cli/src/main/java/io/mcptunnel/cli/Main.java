package io.mcptunnel.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code mcptunnel} distribution. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs one command line and returns its exit code; never exits the JVM, so tests can call it. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return commandLine(out, err).execute(args);
  }

  static CommandLine commandLine(PrintStream out, PrintStream err) {
    ExitHandler exits = new ExitHandler();
    return new CommandLine(new McptunnelCommand())
        .setOut(writer(out))
        .setErr(writer(err))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(exits)
        .setParameterExceptionHandler(exits);
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(stream, true);
  }
}
