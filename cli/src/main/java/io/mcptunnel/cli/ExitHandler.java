package io.mcptunnel.cli;

import io.mcptunnel.common.McptunnelException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where exceptions become exit codes. Expected failures (our own exception type:
 * bad config, unreadable key, port in use) are one line for the operator, never a stack trace;
 * anything else is a bug and says so.
 */
final class ExitHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
  static final int FAILURE = 1;
  static final int USAGE = CommandLine.ExitCode.USAGE;
  /** sysexits.h EX_SOFTWARE: an internal error. */
  static final int INTERNAL = 70;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    cmd.usage(err);
    err.flush();
    return USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (ex instanceof McptunnelException) {
      err.println("mcptunnel: " + ex.getMessage());
      if (debug()) {
        ex.printStackTrace(err);
      }
      err.flush();
      return FAILURE;
    }
    err.println("mcptunnel: internal error: " + ex.getClass().getName() + ": " + ex.getMessage());
    if (debug()) {
      ex.printStackTrace(err);
    } else {
      err.println("mcptunnel: set MCPTUNNEL_DEBUG=1 for the stack trace");
    }
    err.flush();
    return INTERNAL;
  }

  private static boolean debug() {
    return "1".equals(System.getenv("MCPTUNNEL_DEBUG"));
  }
}
