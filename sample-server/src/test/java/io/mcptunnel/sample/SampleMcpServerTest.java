package io.mcptunnel.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sample server's tools, called with the MCP Java SDK client over streamable HTTP. */
class SampleMcpServerTest {
  @Test
  void answersEchoAddAndHello() throws Exception {
    try (SampleMcpServer server = SampleMcpServer.start("127.0.0.1")) {
      McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(server.url())
          .endpoint(SampleMcpServer.ENDPOINT).build()).requestTimeout(Duration.ofSeconds(10)).build();
      try {
        client.initialize();
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
            .containsExactlyInAnyOrder("echo", "add", "hello");
        assertThat(text(client.callTool(new McpSchema.CallToolRequest("hello", Map.of("name", "tunnel")))))
            .isEqualTo("Hello, tunnel!");
        assertThat(text(client.callTool(new McpSchema.CallToolRequest("echo", Map.of("message", "hi")))))
            .isEqualTo("hi");
        assertThat(text(client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 2, "b", 3)))))
            .isEqualTo("5.0");
      } finally {
        client.closeGracefully();
      }
    }
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }
}
