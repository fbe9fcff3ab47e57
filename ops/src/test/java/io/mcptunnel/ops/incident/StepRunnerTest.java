package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepRunnerTest {
  @Test
  void printsOneLinePerStepKeepsGoingAfterAFailureAndSummarises() {
    List<String> lines = new ArrayList<>();
    StepRunner runner = new StepRunner(lines::add);
    boolean ok = runner.run(List.of(
        Step.of("stop a", () -> Step.Result.done("stopped pid 7 (proxy)")),
        Step.of("archive", () -> {
          throw new IllegalStateException("POST /v1/tunnels/t/archive: 503\nunavailable");
        }),
        new ComposeCommand(Path.of("compose.yaml"), "stop", "/nonexistent/docker"),
        Step.of("audit", () -> Step.Result.skipped("pass --admin-url")),
        Step.of("stop b", () -> Step.Result.already("not running (no pid file)"))));

    assertThat(ok).isFalse();
    assertThat(lines).containsExactly(
        "[1/5] stop a: stopped pid 7 (proxy)",
        "[2/5] archive: FAILED: POST /v1/tunnels/t/archive: 503 unavailable",
        "[3/5] docker compose stop: FAILED: docker is not installed or not on PATH; run `docker compose -f"
            + " compose.yaml stop` yourself",
        "[4/5] audit: skipped: pass --admin-url",
        "[5/5] stop b: not running (no pid file)");
    assertThat(runner.summary("incident")).isEqualTo("incident: 5 steps: 1 done, 1 already done, 1 skipped, 2 failed");
  }
}
