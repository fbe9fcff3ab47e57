package io.mcptunnel.common;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The small admin listener every long-running part has (health, readiness, Prometheus metrics), on
 * its own address, loopback by default. The JDK's HTTP server is enough for a few tiny endpoints and
 * keeps this off the data path. Only exact paths answer; anything else is 404.
 */
public final class AdminHttpServer implements AutoCloseable {
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  /** What an endpoint answers. */
  public record Reply(int status, String contentType, String body) {}

  private AdminHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code address} and serves {@code endpoints} (path to reply) on one daemon thread named {@code name}. */
  public static AdminHttpServer start(InetSocketAddress address, String name, Map<String, Supplier<Reply>> endpoints)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    endpoints.forEach((path, reply) -> server.createContext(path, ex -> respond(ex, reply.get())));
    server.start();
    return new AdminHttpServer(server, executor);
  }

  /** {@code 200 ok}: the process serves. */
  public static Supplier<Reply> health() {
    return () -> new Reply(200, TEXT, "ok\n");
  }

  /** {@code 200 ready} or {@code 503 not ready}. */
  public static Supplier<Reply> readiness(BooleanSupplier ready) {
    return () -> ready.getAsBoolean() ? new Reply(200, TEXT, "ready\n") : new Reply(503, TEXT, "not ready\n");
  }

  /** Prometheus text exposition. */
  public static Supplier<Reply> metrics(Supplier<String> scrape) {
    return () -> new Reply(200, PROMETHEUS, scrape.get());
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange ex, Reply reply) throws IOException {
    try (ex) {
      // Contexts match by prefix; only the exact path is an endpoint.
      Reply r = ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())
          ? reply : new Reply(404, TEXT, "not found\n");
      byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", r.contentType());
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(r.status(), head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
