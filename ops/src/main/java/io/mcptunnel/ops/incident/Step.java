package io.mcptunnel.ops.incident;

/** One runbook step. {@link #run()} reports what it did; an exception counts as a failure. */
public interface Step {
  String name();

  Result run() throws Exception;

  enum Status {
    /** Did its work now. */
    DONE,
    /** Nothing to do: the work was done before (archived already, not running, not found). */
    ALREADY,
    /** Not requested or not possible with the given flags; says how to do it. */
    SKIPPED,
    FAILED;

    /** Whether the command may still exit 0. */
    public boolean ok() {
      return this != FAILED;
    }
  }

  record Result(Status status, String message) {
    public static Result done(String message) {
      return new Result(Status.DONE, message);
    }

    public static Result already(String message) {
      return new Result(Status.ALREADY, message);
    }

    public static Result skipped(String message) {
      return new Result(Status.SKIPPED, message);
    }

    public static Result failed(String message) {
      return new Result(Status.FAILED, message);
    }
  }

  /** A step with its name given inline. */
  static Step of(String name, Action action) {
    return new Step() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Result run() throws Exception {
        return action.run();
      }
    };
  }

  @FunctionalInterface
  interface Action {
    Result run() throws Exception;
  }
}
