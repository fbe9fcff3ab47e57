package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.testing.HttpTestServer;
import io.mcptunnel.testing.TestCaller;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies stream both ways: SSE events arrive one by one, large bodies arrive byte for byte. */
class ProxyStreamingIT {
  static final String HOST = "echo." + ProxyHarness.DOMAIN;
  @TempDir Path dir;
  HttpTestServer upstream;
  ProxyHarness h;

  @BeforeEach
  void start() throws Exception {
    upstream = HttpTestServer.start("127.0.0.1");
    h = new ProxyHarness(dir);
    h.start("routes:\n  echo: http://127.0.0.1:%d\nupstream:\n  allowed_ips: [127.0.0.0/8]\n"
        .formatted(upstream.port()));
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    upstream.close();
  }

  @Test
  void firstSseEventArrivesBeforeTheUpstreamFinishes() throws Exception {
    try (TestCaller c = h.caller(HOST)) {
      LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
      CompletableFuture<HttpResponse> head = new CompletableFuture<>();
      CompletableFuture<Void> end = new CompletableFuture<>();
      c.stream(TestCaller.request(HttpMethod.GET, HOST, "/sse", Map.of("Accept", "text/event-stream"), null),
          TestCaller.Listener.of(head::complete, chunk -> events.add(chunk.toString(StandardCharsets.UTF_8)), end));
      assertThat(head.get(30, TimeUnit.SECONDS).headers().get(HttpHeaderNames.CONTENT_TYPE))
          .startsWith("text/event-stream");
      // The upstream holds the second event until released: the first must arrive meanwhile
      // (possibly split over several chunks).
      StringBuilder first = new StringBuilder();
      while (!first.toString().contains("data: first\n\n")) {
        String chunk = events.poll(30, TimeUnit.SECONDS);
        assertThat(chunk).as("the first event, before the upstream finishes").isNotNull();
        first.append(chunk);
      }
      assertThat(end).isNotDone();
      assertThat(first.toString()).doesNotContain("second");
      upstream.releaseSse();
      StringBuilder rest = new StringBuilder();
      end.get(30, TimeUnit.SECONDS);
      events.forEach(rest::append);
      assertThat(rest.toString()).contains("data: second");
    }
  }

  @Test
  void largeDownloadArrivesByteForByte() throws Exception {
    long n = 48L * 1024 * 1024 + 123;
    for (String mode : new String[] {"", "&chunked=1"}) {
      try (TestCaller c = h.caller(HOST)) {
        MessageDigest got = MessageDigest.getInstance("SHA-256");
        long[] count = {0};
        CompletableFuture<Void> end = new CompletableFuture<>();
        c.stream(TestCaller.request(HttpMethod.GET, HOST, "/bytes?n=" + n + "&seed=7" + mode, Map.of(), null),
            TestCaller.Listener.of(r -> assertThat(r.status().code()).isEqualTo(200), chunk -> {
              count[0] += chunk.readableBytes();
              got.update(chunk.nioBuffer());
            }, end));
        end.get(120, TimeUnit.SECONDS);
        assertThat(count[0]).isEqualTo(n);
        assertThat(got.digest()).isEqualTo(expectedDigest(n, 7));
      }
    }
  }

  @Test
  void largeChunkedUploadArrivesByteForByte() throws Exception {
    long n = 32L * 1024 * 1024 + 5;
    try (TestCaller c = h.caller(HOST)) {
      HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
      head.headers().set(HttpHeaderNames.HOST, HOST);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      CompletableFuture<Void> end = new CompletableFuture<>();
      StringBuilder body = new StringBuilder();
      c.streamHead(head, TestCaller.Listener.of(r -> { }, chunk -> body.append(chunk.toString(StandardCharsets.UTF_8)), end));
      int piece = 256 * 1024;
      for (long sent = 0; sent < n; ) {
        int len = (int) Math.min(piece, n - sent);
        byte[] chunk = new byte[len];
        HttpTestServer.fill(chunk, sent, 3);
        // Each chunk waits for the previous write, so the test itself never buffers the whole body.
        c.channel().writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk))).await(30, TimeUnit.SECONDS);
        sent += len;
      }
      c.write(new DefaultLastHttpContent());
      end.get(120, TimeUnit.SECONDS);
      assertThat(body.toString())
          .isEqualTo(HexFormat.of().formatHex(expectedDigest(n, 3)) + " " + n);
    }
  }

  static byte[] expectedDigest(long n, long seed) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[65536];
    for (long at = 0; at < n; ) {
      int len = (int) Math.min(buf.length, n - at);
      byte[] chunk = len == buf.length ? buf : new byte[len];
      HttpTestServer.fill(chunk, at, seed);
      md.update(chunk);
      at += len;
    }
    return md.digest();
  }
}
