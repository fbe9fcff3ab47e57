package io.mcptunnel.proxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written JSON-mode MCP upstream (the JDK's HTTP server): records every request body, answers
 * {@code tools/list} with echo, add and hello as {@code application/json}, anything else with an
 * empty result echoing the body.
 */
final class JsonRpcUpstream implements AutoCloseable {
  static final String TOOLS = "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"tools\":[{\"name\":\"echo\"},"
      + "{\"name\":\"add\"},{\"name\":\"hello\"}]}}";
  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> acceptEncodings = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  JsonRpcUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      acceptEncodings.add(String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding")));
      String answer = body.contains("\"tools/list\"")
          ? TOOLS.formatted(body.replaceAll("(?s).*\"id\":(\\d+).*", "$1"))
          : "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"echo\":" + (body.isEmpty() ? "null" : "true") + "}}";
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
      ex.close();
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
