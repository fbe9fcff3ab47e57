package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.common.McptunnelException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExitHandlerTest {
  private final StringWriter err = new StringWriter();
  private final CommandLine cmd = new CommandLine(new McptunnelCommand()).setErr(new PrintWriter(err, true));

  @Test
  void ourExceptionsAreOneLineAndExitOne() {
    int code = new ExitHandler().handleExecutionException(new McptunnelException("open /x: permission denied"), cmd, null);
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("mcptunnel: open /x: permission denied" + System.lineSeparator());
  }

  @Test
  void anythingElseIsAnInternalErrorWithExitSeventy() {
    int code = new ExitHandler().handleExecutionException(new IllegalStateException("boom"), cmd, null);
    assertThat(code).isEqualTo(70);
    assertThat(err.toString()).startsWith("mcptunnel: internal error: java.lang.IllegalStateException: boom");
    if (!"1".equals(System.getenv("MCPTUNNEL_DEBUG"))) {
      assertThat(err.toString()).doesNotContain("\tat ");
    }
  }
}
