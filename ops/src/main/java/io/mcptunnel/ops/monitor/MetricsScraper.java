package io.mcptunnel.ops.monitor;

import io.mcptunnel.ops.monitor.PrometheusText.Sample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;

/** Fetches one component's {@code /metrics}; a failure is an exception whose message says why. */
public final class MetricsScraper {
  private final HttpClient http;
  private final URI url;
  private final Duration timeout;

  public MetricsScraper(HttpClient http, URI url, Duration timeout) {
    this.http = http;
    this.url = url;
    this.timeout = timeout;
  }

  public List<Sample> scrape() throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IOException("connection refused");
    } catch (HttpTimeoutException e) {
      throw new IOException("no answer within " + timeout.toMillis() + "ms");
    }
    if (resp.statusCode() != 200) {
      throw new IOException("HTTP " + resp.statusCode());
    }
    return PrometheusText.parse(resp.body());
  }
}
