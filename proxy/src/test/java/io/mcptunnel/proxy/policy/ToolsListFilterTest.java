package io.mcptunnel.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolsListFilterTest {
  static final Set<String> ALLOWED = Set.of("echo");

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"echo\"},{\"name\":\"add\"}]}} | {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"echo\"}]}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"echo\"}]}} | -",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[]}} | -",
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"} | -",
      "[{\"id\":1,\"result\":{\"tools\":[{\"name\":\"add\"},{\"nom\":\"x\"}]}},{\"id\":2,\"result\":{}}] | [{\"id\":1,\"result\":{\"tools\":[]}},{\"id\":2,\"result\":{}}]",
      "{\"id\":1,\"result\":{\"tools\":[{\"name\":\"echo\",\"description\":\"d\"},{\"name\":\"ECHO\"}],\"nextCursor\":\"c\"}} | {\"id\":1,\"result\":{\"tools\":[{\"name\":\"echo\",\"description\":\"d\"}],\"nextCursor\":\"c\"}}",
  })
  void removesToolsNotAllowed(String in, String out) throws IOException {
    assertThat(ToolsListFilter.filter(in.getBytes(StandardCharsets.UTF_8), ALLOWED)
        .map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null)).isEqualTo(out);
  }

  @org.junit.jupiter.api.Test
  void notJsonIsAnError() {
    assertThatThrownBy(() -> ToolsListFilter.filter("<html>".getBytes(StandardCharsets.UTF_8), ALLOWED))
        .isInstanceOf(IOException.class);
  }
}
