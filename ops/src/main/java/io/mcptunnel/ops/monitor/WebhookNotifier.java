package io.mcptunnel.ops.monitor;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * POSTs each alert's JSON to a webhook on its own thread, so a slow receiver never holds up
 * detection. A failed delivery is retried a few times, then reported on stderr and dropped; the
 * monitor goes on. Reports name the webhook by scheme, host and port only: webhook URLs often
 * carry a secret in their path.
 */
public final class WebhookNotifier implements Consumer<Alert>, AutoCloseable {
  static final int ATTEMPTS = 3;

  private final HttpClient http;
  private final URI url;
  private final Duration retryDelay;
  private final PrintWriter err;
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "monitor-webhook");
    t.setDaemon(true);
    return t;
  });

  public WebhookNotifier(HttpClient http, URI url, Duration retryDelay, PrintWriter err) {
    this.http = http;
    this.url = url;
    this.retryDelay = retryDelay;
    this.err = err;
  }

  /** The URL without path, query or user info: safe to print. */
  public static String describe(URI url) {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public void accept(Alert alert) {
    sender.execute(() -> deliver(alert));
  }

  private void deliver(Alert alert) {
    String why = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(alert.json())).build();
        int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status / 100 == 2) {
          return;
        }
        why = "HTTP " + status;
      } catch (IOException e) {
        why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (attempt < ATTEMPTS) {
        try {
          Thread.sleep(retryDelay.toMillis() * attempt);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    synchronized (err) {
      err.println("monitor: webhook " + describe(url) + " failed for alert " + alert.rule() + " ["
          + alert.source() + "] after " + ATTEMPTS + " attempts: " + why);
      err.flush();
    }
  }

  /** Waits a little for deliveries still under way (a bounded run should not drop its last alerts). */
  @Override
  public void close() throws InterruptedException {
    sender.shutdown();
    sender.awaitTermination(30, TimeUnit.SECONDS);
  }
}
