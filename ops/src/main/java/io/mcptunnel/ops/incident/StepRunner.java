package io.mcptunnel.ops.incident;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs steps in order, printing {@code [n/N] name: result} for each, and keeps going after a
 * failure: every step here is safe to run after an earlier one failed (evidence is gathered even
 * when the archive call failed). An exception is a failed step with its message, never a trace.
 */
public final class StepRunner {
  /** What one step did, in order; the report is built from these. */
  public record Outcome(int index, String name, Step.Status status, String message) {
    public String line(int total) {
      String status = switch (status()) {
        case FAILED -> "FAILED: ";
        case SKIPPED -> "skipped: ";
        default -> "";
      };
      return "[" + index + "/" + total + "] " + name + ": " + status + message;
    }
  }

  private final Consumer<String> out;
  private final List<Outcome> outcomes = new ArrayList<>();

  public StepRunner(Consumer<String> out) {
    this.out = out;
  }

  /** Runs every step; returns true when none failed. */
  public boolean run(List<Step> steps) {
    int total = steps.size();
    for (Step step : steps) {
      Step.Result result;
      try {
        result = step.run();
      } catch (Exception e) {
        result = Step.Result.failed(e.getMessage() == null ? e.getClass().getSimpleName()
            : e.getMessage().replaceAll("\\s+", " "));
      }
      Outcome outcome = new Outcome(outcomes.size() + 1, step.name(), result.status(), result.message());
      outcomes.add(outcome);
      out.accept(outcome.line(total));
    }
    return outcomes.stream().allMatch(o -> o.status().ok());
  }

  public List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /** {@code incident: 7 steps: 4 done, 2 already done, 1 skipped, 0 failed}. */
  public String summary(String command) {
    return command + ": " + outcomes.size() + " steps: " + count(Step.Status.DONE) + " done, "
        + count(Step.Status.ALREADY) + " already done, " + count(Step.Status.SKIPPED) + " skipped, "
        + count(Step.Status.FAILED) + " failed";
  }

  private long count(Step.Status status) {
    return outcomes.stream().filter(o -> o.status() == status).count();
  }
}
