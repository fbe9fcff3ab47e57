package io.mcptunnel.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ToolCallsTest {
  static final Set<String> ALLOWED = Set.of("echo", "add");

  /** body | Mcp-Method | Mcp-Name | expected HTTP status (0 = forwarded) | expected answer, or listsTools when forwarded */
  @ParameterizedTest(name = "{0} [{1}/{2}]")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}} | - | - | 0 | false",
      "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"} | - | - | 0 | true",
      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"} | - | - | 0 | false",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}} | - | - | 0 | false",
      "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"add\"}}] | - | - | 0 | true",
      "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"hello\"}} | - | - | 200 | {\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"tool \\\"hello\\\" is not allowed on this route\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tools/call\",\"params\":{}} | - | - | 200 | {\"jsonrpc\":\"2.0\",\"id\":\"x\",\"error\":{\"code\":-32602,\"message\":\"tool \\\"\\\" is not allowed on this route\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"name\":\"hello\"}} | - | - | 400 | {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error: the request body is not a JSON-RPC message\"}}",
      "{not json | - | - | 400 | {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error: the request body is not a JSON-RPC message\"}}",
      "{} {} | - | - | 400 | {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error: the request body is not a JSON-RPC message\"}}",
      "[] | - | - | 400 | {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error: the request body is not a JSON-RPC message\"}}",
      "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"hello\"}},{\"jsonrpc\":\"2.0\",\"method\":\"notifications/x\"}] | - | - | 200 | [{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":\"batch refused: it calls a tool not allowed on this route\"}},{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,\"message\":\"tool \\\"hello\\\" is not allowed on this route\"}}]",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}} | tools/call | echo | 0 | false",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"} | tools/list | - | 0 | true",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"hello\"}} | tools/call | echo | 400 | {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":\"Mcp-Name header \\\"echo\\\" does not match the body's name \\\"hello\\\"\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}} | tools/list | - | 400 | {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":\"Mcp-Method header \\\"tools/list\\\" does not match the body's method \\\"tools/call\\\"\"}}",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}} | tools/call | - | 400 | {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":\"Mcp-Name header \\\"null\\\" does not match the body's name \\\"echo\\\"\"}}",
      "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}] | tools/list | - | 400 | {\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"Mcp-Method/Mcp-Name headers cannot describe a batch\"}}",
  })
  void verdicts(String body, String mcpMethod, String mcpName, int status, String expected) {
    ToolCalls.Verdict v = ToolCalls.check(body.getBytes(StandardCharsets.UTF_8), ALLOWED, mcpMethod, mcpName);
    if (status == 0) {
      assertThat(v.refusal()).isNull();
      assertThat(v.listsTools()).isEqualTo(Boolean.parseBoolean(expected));
    } else {
      assertThat(v.refusal().status().code()).isEqualTo(status);
      assertThat(new String(v.refusal().body(), StandardCharsets.UTF_8)).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "tools/call | hello | 403",
      "tools/call | echo  | 0",
      "tools/call | -     | 0",
      "tools/list | hello | 0",
      "-          | hello | 0",
  })
  void headersAloneRefuseADisallowedCall(String method, String name, int status) {
    Refusal r = ToolCalls.headerRefusal(method, name, ALLOWED);
    if (status == 0) {
      assertThat(r).isNull();
    } else {
      assertThat(r.status().code()).isEqualTo(status);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(
          "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32602,\"message\":\"tool \\\"hello\\\" is not allowed on this route\"}}");
    }
  }
}
