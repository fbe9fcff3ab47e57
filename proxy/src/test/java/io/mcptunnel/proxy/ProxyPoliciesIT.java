package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.testing.LogCapture;
import io.mcptunnel.testing.TestCaller;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policies: map enforced on real traffic (SPEC §2.3). */
class ProxyPoliciesIT {
  static final String D = "." + ProxyHarness.DOMAIN;
  @TempDir Path dir;
  SampleMcpServer mcp;
  JsonRpcUpstream json;
  Tripwire tripwire;
  ProxyHarness h;

  /** An upstream that counts the connections made to it, and answers each request head with 204. */
  static final class Tripwire implements AutoCloseable {
    final java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    Tripwire() throws java.io.IOException {
      Thread t = new Thread(() -> {
        while (true) {
          try (java.net.Socket s = socket.accept()) {
            connections.incrementAndGet();
            java.io.InputStream in = s.getInputStream();
            int matched = 0;
            while (matched < 4) {
              int b = in.read();
              if (b < 0) {
                break;
              }
              matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            s.getOutputStream().write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
          } catch (java.io.IOException e) {
            return;
          }
        }
      }, "tripwire");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    mcp = SampleMcpServer.start("127.0.0.1");
    json = new JsonRpcUpstream();
    tripwire = new Tripwire();
    h = new ProxyHarness(dir);
    String up = "http://127.0.0.1:" + json.port();
    h.start("""
        routes:
          mcp: %s
          open: %s
          auth: %s
          small: %s
          limited: %s
          tools: %s
        upstream:
          allowed_ips: [127.0.0.1/32]
        policies:
          mcp:
            allowed_tools: [echo, add]
          auth:
            require_authorization: true
          small:
            max_request_bytes: 16
          limited:
            rate_limit: {requests_per_second: 0.001, burst: 2}
          tools:
            allowed_tools: [echo]
        """.formatted(mcp.url(), up, "http://127.0.0.1:" + tripwire.socket.getLocalPort(), up, up, up));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    json.close();
    tripwire.close();
    mcp.close();
  }

  @Test
  void javaSdkServerListsOnlyAllowedToolsAndRefusesOthers() throws Exception {
    try (TestCaller c = h.caller("mcp" + D)) {
      TestCaller.Response init = ProxyMcpIT.post(c, null, """
          {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",
           "capabilities":{},"clientInfo":{"name":"policy-it","version":"1"}}}""");
      String session = init.headers().get("Mcp-Session-Id");
      assertThat(ProxyMcpIT.post(c, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")
          .status()).isEqualTo(202);

      TestCaller.Response list = ProxyMcpIT.post(c, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
      // The Java SDK server answers as an event stream: the SSE filter did this.
      assertThat(list.headers().get("Content-Type")).startsWith("text/event-stream");
      assertThat(ProxyMcpIT.message(list).at("/result/tools").findValuesAsText("name")).containsExactly("echo", "add");

      TestCaller.Response refused = ProxyMcpIT.post(c, session, """
          {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"hello","arguments":{"name":"x"}}}""");
      assertThat(refused.status()).isEqualTo(200);
      assertThat(refused.text()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32602,"
          + "\"message\":\"tool \\\"hello\\\" is not allowed on this route\"}}");

      JsonNode echoed = ProxyMcpIT.message(ProxyMcpIT.post(c, session, """
          {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"message":"ok"}}}"""));
      assertThat(echoed.at("/result/content/0/text").asText()).isEqualTo("ok");
    }
    assertThat(refusals("mcp", "tool_not_allowed")).isEqualTo(1.0);
  }

  @Test
  void jsonToolsListIsFilteredWithItsLengthFixedAndCompressionNotAsked() throws Exception {
    try (TestCaller c = h.caller("tools" + D)) {
      Map<String, String> headers = jsonHeaders();
      headers.put("Accept-Encoding", "gzip");
      TestCaller.Response r = c.call(HttpMethod.POST, "/mcp", headers, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"tools\":[{\"name\":\"echo\""
          + JsonRpcUpstream.SCHEMA + "}]}}");
      assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(r.body().length);
      assertThat(json.acceptEncodings).containsExactly("null");
    }
  }

  @Test
  void eventStreamsStayStreamingAndTheirToolsListsAreFiltered() throws Exception {
    try (TestCaller c = h.caller("tools" + D)) {
      StringBuffer received = new StringBuffer();
      CompletableFuture<Void> ended = new CompletableFuture<>();
      c.stream(TestCaller.request(HttpMethod.GET, "tools" + D, "/events", Map.of("Accept", "text/event-stream"), null),
          new TestCaller.Listener() {
            @Override
            public void head(io.netty.handler.codec.http.HttpResponse r) {}

            @Override
            public void chunk(io.netty.buffer.ByteBuf content) {
              received.append(content.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void end() {
              ended.complete(null);
            }

            @Override
            public void failed(Throwable cause) {
              ended.completeExceptionally(cause);
            }
          });
      // The first event passes while the upstream still holds the stream open.
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> received.toString().contains("notifications/message"));
      assertThat(ended).isNotDone();
      json.releaseEvents();
      ended.get(10, TimeUnit.SECONDS);
      assertThat(received.toString()).isEqualTo(
          "id: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\n"
          + "id: 2\ndata: {\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"tools\":[{\"name\":\"echo\""
          + JsonRpcUpstream.SCHEMA + "}]}}\n\n");
    }
  }

  @Test
  void aCompressedToolsListIsNotPassedUnfiltered() throws Exception {
    try (TestCaller c = h.caller("tools" + D)) {
      TestCaller.Response r = c.call(HttpMethod.POST, "/gzip", jsonHeaders(),
          "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}");
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.text()).isEqualTo("bad gateway: the upstream sent a compressed response, which the tool policy"
          + " cannot inspect\n");
    }
    assertThat(refusals("tools", "response_not_inspectable")).isEqualTo(1.0);
  }

  @Test
  void batchesWithADisallowedCallAreAnsweredWholeByTheProxy() throws Exception {
    try (TestCaller c = h.caller("tools" + D)) {
      TestCaller.Response r = c.call(HttpMethod.POST, "/mcp", jsonHeaders(), """
          [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}},
           {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"hello"}}]""");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("[{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,\"message\":"
          + "\"batch refused: it calls a tool not allowed on this route\"}},{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":"
          + "{\"code\":-32602,\"message\":\"tool \\\"hello\\\" is not allowed on this route\"}}]");
      TestCaller.Response ok = c.call(HttpMethod.POST, "/mcp", jsonHeaders(), """
          [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}}]""");
      assertThat(ok.status()).isEqualTo(200);
    }
    assertThat(json.bodies).hasSize(1).allSatisfy(b -> assertThat(b).doesNotContain("hello"));
  }

  @Test
  void aBodyOnAnotherMethodThanPostIsRefusedNotForwardedUnread() throws Exception {
    try (TestCaller c = h.caller("tools" + D)) {
      TestCaller.Response r = c.call(HttpMethod.PUT, "/mcp", jsonHeaders(), """
          {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"hello"}}""");
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.text()).isEqualTo("{\"error\":\"body_not_inspected\",\"message\":\"PUT with a body: only POST"
          + " may carry a body on a route with allowed_tools\"}");
    }
    assertThat(json.bodies).isEmpty();
    assertThat(refusals("tools", "body_not_inspected")).isEqualTo(1.0);
  }

  @Test
  void aChunkedCallIsInspectedThenForwardedWhole() throws Exception {
    String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";
    try (TestCaller c = h.caller("tools" + D)) {
      DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/mcp");
      head.headers().set(HttpHeaderNames.HOST, "tools" + D);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      StringBuffer received = new StringBuffer();
      CompletableFuture<Void> ended = new CompletableFuture<>();
      c.streamHead(head, new TestCaller.Listener() {
        @Override
        public void head(io.netty.handler.codec.http.HttpResponse r) {}

        @Override
        public void chunk(io.netty.buffer.ByteBuf content) {
          received.append(content.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void end() {
          ended.complete(null);
        }

        @Override
        public void failed(Throwable cause) {
          ended.completeExceptionally(cause);
        }
      });
      c.write(new DefaultHttpContent(Unpooled.copiedBuffer(call.substring(0, 30), StandardCharsets.UTF_8)));
      c.write(new DefaultLastHttpContent(Unpooled.copiedBuffer(call.substring(30), StandardCharsets.UTF_8)));
      ended.get(10, TimeUnit.SECONDS);
      assertThat(received.toString()).contains("called echo");
    }
    assertThat(json.bodies).containsExactly(call);
  }

  @Test
  void mcpMethodAndNameHeadersAreHonoured() throws Exception {
    try (TestCaller c = h.caller("tools" + D)) {
      Map<String, String> headers = jsonHeaders();
      headers.put("Mcp-Method", "tools/call");
      headers.put("Mcp-Name", "hello");
      TestCaller.Response byHeader = c.call(HttpMethod.POST, "/mcp", headers, "not even read");
      assertThat(byHeader.status()).isEqualTo(403);
      assertThat(byHeader.text()).contains("tool \\\"hello\\\" is not allowed on this route");

      headers.put("Mcp-Name", "echo");
      TestCaller.Response mismatch = c.call(HttpMethod.POST, "/mcp", headers, """
          {"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"hello"}}""");
      assertThat(mismatch.status()).isEqualTo(400);
      assertThat(mismatch.text()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32600,\"message\":"
          + "\"Mcp-Name header \\\"echo\\\" does not match the body's name \\\"hello\\\"\"}}");

      TestCaller.Response malformed = c.call(HttpMethod.POST, "/mcp", jsonHeaders(), "{\"jsonrpc\":");
      assertThat(malformed.status()).isEqualTo(400);
      assertThat(malformed.text()).contains("-32700");

      TestCaller.Response agreeing = c.call(HttpMethod.POST, "/mcp", headers, """
          {"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"echo"}}""");
      assertThat(agreeing.status()).isEqualTo(200);
    }
    assertThat(json.bodies).hasSize(1);
    assertThat(refusals("tools", "header_mismatch")).isEqualTo(1.0);
    assertThat(refusals("tools", "parse_error")).isEqualTo(1.0);
  }

  @Test
  void authorizationIsRequiredBeforeAnyUpstreamConnection() throws Exception {
    try (LogCapture logs = new LogCapture(); TestCaller c = h.caller("auth" + D)) {
      Map<String, String> headers = jsonHeaders();
      TestCaller.Response none = c.call(HttpMethod.POST, "/mcp", headers, "{}");
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).isEqualTo("Bearer");
      assertThat(none.text()).isEqualTo("{\"error\":\"unauthorized\",\"message\":\"missing Authorization header\"}");
      headers.put("Authorization", "Basic c2VjcmV0LXZhbHVl");
      assertThat(c.call(HttpMethod.POST, "/mcp", headers, "{}").text()).contains("not a Bearer token");
      assertThat(tripwire.connections).hasValue(0);
      assertThat(logs.lines()).filteredOn(l -> l.contains("request refused by policy")).hasSize(2)
          .allSatisfy(l -> assertThat(l).contains("route=auth", "request_id=", "reason=unauthorized"));
      assertThat(String.join("\n", logs.lines())).doesNotContain("c2VjcmV0LXZhbHVl");

      assertThat(c.call(HttpMethod.GET, "/mcp", Map.of("Authorization", "Bearer t0ken"), null).status())
          .isEqualTo(204);
    }
    assertThat(tripwire.connections).hasValue(1);
    assertThat(refusals("auth", "unauthorized")).isEqualTo(2.0);
  }

  @Test
  void bodiesOverTheLimitAreRefusedAndNeverReachTheUpstream() throws Exception {
    try (TestCaller c = h.caller("small" + D)) {
      TestCaller.Response declared = c.call(HttpMethod.POST, "/mcp", jsonHeaders(), "x".repeat(17));
      assertThat(declared.status()).isEqualTo(413);
      assertThat(declared.text()).contains("request body exceeds max_request_bytes (16 bytes)");

      DefaultHttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/mcp");
      head.headers().set(HttpHeaderNames.HOST, "small" + D);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      CompletableFuture<Integer> status = new CompletableFuture<>();
      c.streamHead(head, new TestCaller.Listener() {
        @Override
        public void head(io.netty.handler.codec.http.HttpResponse r) {
          status.complete(r.status().code());
        }

        @Override
        public void chunk(io.netty.buffer.ByteBuf content) {}

        @Override
        public void end() {}

        @Override
        public void failed(Throwable cause) {
          status.completeExceptionally(cause);
        }
      });
      c.write(new DefaultHttpContent(Unpooled.copiedBuffer("0123456789", StandardCharsets.UTF_8)));
      c.write(new DefaultHttpContent(Unpooled.copiedBuffer("0123456789", StandardCharsets.UTF_8)));
      c.write(new DefaultLastHttpContent());
      assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(413);

      assertThat(c.call(HttpMethod.POST, "/mcp", jsonHeaders(), "x".repeat(16)).status()).isEqualTo(200);
    }
    assertThat(json.bodies).containsExactly("x".repeat(16));
    assertThat(refusals("small", "too_large")).isEqualTo(2.0);
  }

  @Test
  void excessRequestsGet429WithRetryAfter() throws Exception {
    try (TestCaller c = h.caller("limited" + D)) {
      // The upstream answers 405 to GET: it was reached.
      assertThat(c.call(HttpMethod.GET, "/", Map.of(), null).status()).isEqualTo(405);
      assertThat(c.call(HttpMethod.GET, "/", Map.of(), null).status()).isEqualTo(405);
      TestCaller.Response third = c.call(HttpMethod.GET, "/", Map.of(), null);
      assertThat(third.status()).isEqualTo(429);
      // One token per 1000 s: the wait is (almost exactly) 1000 s, rounded up.
      assertThat(third.headers().getInt(HttpHeaderNames.RETRY_AFTER)).isBetween(999, 1000);
      assertThat(third.text()).isEqualTo(
          "{\"error\":\"rate_limited\",\"message\":\"rate limit exceeded (0.001 requests per second, burst 2)\"}");
    }
    assertThat(json.bodies).hasSize(2);
    assertThat(refusals("limited", "rate_limited")).isEqualTo(1.0);
  }

  @Test
  void routesWithoutAPolicyAreUnchanged() throws Exception {
    try (TestCaller c = h.caller("open" + D)) {
      Map<String, String> headers = jsonHeaders();
      headers.put("Accept-Encoding", "gzip");
      TestCaller.Response r = c.call(HttpMethod.POST, "/mcp", headers, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}");
      assertThat(r.text()).isEqualTo(JsonRpcUpstream.TOOLS.formatted(5));
      assertThat(c.call(HttpMethod.POST, "/mcp", jsonHeaders(), "not json").status()).isEqualTo(200);
    }
    assertThat(json.acceptEncodings).first().isEqualTo("gzip");
  }

  private double refusals(String route, String reason) {
    var counter = h.proxy.registry().find("mcptunnel.proxy.policy.refusals").tag("route", route)
        .tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  static Map<String, String> jsonHeaders() {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json, text/event-stream");
    return headers;
  }
}
