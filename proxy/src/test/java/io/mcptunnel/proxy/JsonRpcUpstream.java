package io.mcptunnel.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * A hand-written JSON-mode MCP upstream (the JDK's HTTP server), enough for the TypeScript SDK
 * client: POST /mcp answers initialize, tools/list (echo, add, hello), tools/call (text "called
 * NAME") and batches as {@code application/json}, notifications with 202. It records every body.
 * GET /events is an event stream: a notification at once, then (after {@link #releaseEvents()}) a
 * tools/list result, as replayed on a resumed GET stream. POST /gzip answers gzip-compressed.
 */
final class JsonRpcUpstream implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SCHEMA = ",\"inputSchema\":{\"type\":\"object\"}";
  static final String TOOLS = "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"tools\":[{\"name\":\"echo\"" + SCHEMA
      + "},{\"name\":\"add\"" + SCHEMA + "},{\"name\":\"hello\"" + SCHEMA + "}]}}";
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
  private final CountDownLatch events = new CountDownLatch(1);
  private final HttpServer server;

  JsonRpcUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().equals("/events")) {
      events(ex);
      return;
    }
    bodies.add(body);
    acceptEncodings.add(String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding")));
    if (!ex.getRequestMethod().equals("POST")) {
      ex.sendResponseHeaders(405, -1);
      ex.close();
      return;
    }
    String answer;
    try {
      answer = answer(JSON.readTree(body));
    } catch (IOException notJson) {
      answer = "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"echo\":true}}";
    }
    if (answer == null) {
      ex.sendResponseHeaders(202, -1);
      ex.close();
      return;
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.getResponseHeaders().set("Mcp-Session-Id", "json-session");
    if (ex.getRequestURI().getPath().equals("/gzip")) {
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream gz = new GZIPOutputStream(ex.getResponseBody())) {
        gz.write(out);
      }
      return;
    }
    ex.sendResponseHeaders(200, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  private static String answer(JsonNode m) {
    if (m == null) {
      return "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{\"echo\":true}}";
    }
    if (m.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      for (JsonNode one : m) {
        String a = answer(one);
        if (a != null) {
          out.add(parse(a));
        }
      }
      return out.isEmpty() ? null : out.toString();
    }
    if (!m.hasNonNull("id")) {
      return null;
    }
    String id = m.get("id").toString();
    String method = m.path("method").asText();
    return switch (method) {
      case "initialize" -> "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":"
          + m.at("/params/protocolVersion").toString() + ",\"capabilities\":{\"tools\":{}},"
          + "\"serverInfo\":{\"name\":\"json-upstream\",\"version\":\"1\"}}}";
      case "tools/list" -> TOOLS.formatted(id);
      case "tools/call" -> {
        ObjectNode r = JSON.createObjectNode().put("jsonrpc", "2.0");
        r.set("id", m.get("id"));
        r.putObject("result").putArray("content").addObject().put("type", "text")
            .put("text", "called " + m.at("/params/name").asText());
        yield r.toString();
      }
      default -> "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"echo\":true}}";
    };
  }

  private static JsonNode parse(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void events(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    out.write("id: 1\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{}}\n\n"
        .getBytes(StandardCharsets.UTF_8));
    out.flush();
    try {
      events.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.write(("id: 2\ndata: " + TOOLS.formatted(7) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.close();
  }

  void releaseEvents() {
    events.countDown();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    events.countDown();
    server.stop(0);
  }
}
