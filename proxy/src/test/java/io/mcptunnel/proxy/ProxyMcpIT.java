package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.TestCaller;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real MCP server (MCP Java SDK, streamable HTTP) called through the proxy, end to end. */
class ProxyMcpIT {
  static final String HOST = "mcp." + ProxyHarness.DOMAIN;
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  SampleMcpServer mcp;
  ProxyHarness h;

  @BeforeEach
  void start() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    h = new ProxyHarness(dir);
    h.start("routes:\n  mcp: %s\nupstream:\n  allowed_ips: [127.0.0.1/32]\n".formatted(mcp.url()));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    mcp.close();
  }

  @Test
  void initializeListAndCallAToolThroughTheProxy() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      TestCaller.Response init = post(c, null, """
          {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
           "capabilities":{},"clientInfo":{"name":"proxy-it","version":"1"}}}""");
      assertThat(init.status()).isEqualTo(200);
      String session = init.headers().get("Mcp-Session-Id");
      assertThat(session).isNotBlank();
      assertThat(message(init).at("/result/serverInfo/name").asText()).isEqualTo("mcptunnel-sample-server");

      assertThat(post(c, session, """
          {"jsonrpc":"2.0","method":"notifications/initialized"}""").status()).isEqualTo(202);

      JsonNode tools = message(post(c, session, """
          {"jsonrpc":"2.0","id":2,"method":"tools/list"}"""));
      assertThat(tools.at("/result/tools").findValuesAsText("name")).contains("echo", "add");

      JsonNode echoed = message(post(c, session, """
          {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo",
           "arguments":{"message":"through the tunnel \\u2713"}}}"""));
      assertThat(echoed.at("/result/content/0/text").asText()).isEqualTo("through the tunnel \u2713");
    }
  }

  static TestCaller.Response post(TestCaller c, String session, String body) throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json, text/event-stream");
    if (session != null) {
      headers.put("Mcp-Session-Id", session);
      headers.put("MCP-Protocol-Version", "2025-06-18");
    }
    return c.call(HttpMethod.POST, SampleMcpServer.ENDPOINT, headers, body);
  }

  /** The JSON-RPC message of a response, whether sent as JSON or as a server-sent event. */
  static JsonNode message(TestCaller.Response r) throws Exception {
    String text = r.text();
    if (String.valueOf(r.headers().get("Content-Type")).startsWith("text/event-stream")) {
      StringBuilder data = new StringBuilder();
      for (String line : text.split("\n")) {
        if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
      text = data.toString();
    }
    return JSON.readTree(text);
  }
}
