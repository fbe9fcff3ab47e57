package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {

  @Test
  void versionComesFromTheMavenProject() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exit()).isZero();
    assertThat(run.out().strip()).matches("mcptunnel \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--help                  | proxy",
      "proxy --help            | check",
      "proxy run --help        | --cert-poll-interval",
      "proxy run --help        | --log-format",
      "proxy run --help        | --config",
      "proxy check --help      | --config",
  })
  void helpExitsZeroAndListsOptions(String args, String expected) {
    CliRun run = CliRun.of(args.split(" "));
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Usage: mcptunnel").contains(expected).contains("--help");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "proxy                                   | Missing required subcommand",
      "proxy rnu                               | Unmatched argument",
      "proxy run --log-format xml              | --log-format",
      "proxy run --cert-poll-interval 5 parsecs | --cert-poll-interval",
      "proxy run --cert-poll-interval 0s       | greater than zero",
  })
  void badUsageExitsTwoWithMessageAndUsage(String args, String expected) {
    CliRun run = CliRun.of(args.split(" "));
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains(expected).contains("Usage:");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void missingConfigFileIsOneLineAndExitOne() {
    CliRun run = CliRun.of("proxy", "check", "--config", "/nonexistent/config.yaml");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().strip())
        .isEqualTo("mcptunnel: open /nonexistent/config.yaml: no such file or directory");
  }
}
