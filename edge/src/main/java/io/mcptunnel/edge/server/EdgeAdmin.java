package io.mcptunnel.edge.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Health and metrics on their own address (loopback by default), off the data path:
 * {@code /healthz} (the process serves), {@code /readyz} (both listeners bound, not closing) and
 * Prometheus {@code /metrics}. The JDK's HTTP server is enough for three tiny endpoints.
 */
final class EdgeAdmin implements AutoCloseable {
  private static final String TEXT = "text/plain; charset=utf-8";
  private final HttpServer server;
  private final ExecutorService executor;

  EdgeAdmin(InetSocketAddress address, BooleanSupplier ready, Supplier<String> metrics) throws IOException {
    server = HttpServer.create(address, 16);
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mcptunnel-edge-admin");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> respond(ex, 200, TEXT, "ok\n"));
    server.createContext("/readyz", ex -> {
      boolean ok = ready.getAsBoolean();
      respond(ex, ok ? 200 : 503, TEXT, ok ? "ready\n" : "not ready\n");
    });
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
    server.start();
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    try (ex) {
      // Contexts match by prefix; only the exact path is an endpoint.
      if (!ex.getRequestURI().getPath().equals(ex.getHttpContext().getPath())) {
        status = 404;
        type = TEXT;
        body = "not found\n";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = ex.getRequestMethod().equals("HEAD");
      ex.sendResponseHeaders(status, head ? -1 : bytes.length);
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
