package io.mcptunnel.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.mcptunnel.pki.IssuedCertificate;
import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A plain HTTP upstream on loopback for proxy tests. Endpoints:
 * {@code /headers} echoes the request line and headers as text; {@code /upload} returns the SHA-256
 * and length of the body; {@code /bytes?n=N} streams N pseudo-random bytes (seeded, so the caller
 * can recompute them); {@code /redirect} answers 302; {@code /sse} sends one event, then waits for
 * {@link #releaseSse()} before the second and the end; {@code /slow} waits for {@link #releaseSlow()};
 * {@code /close} answers with {@code Connection: close}; {@code /unauthorized} answers 401 with a
 * {@code WWW-Authenticate} challenge.
 */
public final class HttpTestServer implements AutoCloseable {
  private final Server jetty;
  private final CountDownLatch sseGate = new CountDownLatch(1);
  private final CountDownLatch slowGate = new CountDownLatch(1);
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private final BlockingQueue<Map<String, String>> seenHeaders = new LinkedBlockingQueue<>();

  private HttpTestServer(String host, IssuedCertificate tls) throws Exception {
    jetty = new Server();
    ServerConnector connector = tls == null ? new ServerConnector(jetty) : tlsConnector(jetty, tls);
    connector.setHost(host);
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    ServletHolder holder = new ServletHolder(new Endpoints());
    holder.setAsyncSupported(true);
    context.addServlet(holder, "/*");
    jetty.setHandler(context);
    jetty.start();
  }

  public static HttpTestServer start(String host) throws Exception {
    return new HttpTestServer(host, null);
  }

  /** The same endpoints over HTTPS with the given server certificate. */
  public static HttpTestServer startTls(String host, IssuedCertificate certificate) throws Exception {
    return new HttpTestServer(host, certificate);
  }

  /**
   * An HTTPS connector that, like many reverse-proxied servers, does not insist that the Host
   * header equal the TLS server name: the proxy keeps the public Host while SNI names the upstream.
   */
  private static ServerConnector tlsConnector(Server jetty, IssuedCertificate tls) throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer(false));
    return new ServerConnector(jetty, new SslConnectionFactory(sslFactory(tls), "http/1.1"),
        new HttpConnectionFactory(config));
  }

  private static SslContextFactory.Server sslFactory(IssuedCertificate tls) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] password = "test-only".toCharArray();
    ks.setKeyEntry("server", tls.privateKey(), password, new Certificate[] {tls.certificate()});
    SslContextFactory.Server f = new SslContextFactory.Server();
    f.setKeyStore(ks);
    f.setKeyStorePassword("test-only");
    f.setKeyManagerPassword("test-only");
    return f;
  }

  /** How long the server keeps an idle keep-alive connection open. */
  public void setIdleTimeout(java.time.Duration timeout) {
    ((ServerConnector) jetty.getConnectors()[0]).setIdleTimeout(timeout.toMillis());
  }

  /** Connections the server currently holds open. */
  public int openConnections() {
    return ((ServerConnector) jetty.getConnectors()[0]).getConnectedEndPoints().size();
  }

  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  public void releaseSse() {
    sseGate.countDown();
  }

  public void releaseSlow() {
    slowGate.countDown();
  }

  public boolean awaitSlowStarted() throws InterruptedException {
    return slowStarted.await(30, TimeUnit.SECONDS);
  }

  /** Headers of requests as the upstream saw them (lower-case names), oldest first. */
  public Map<String, String> takeHeaders() throws InterruptedException {
    return seenHeaders.poll(30, TimeUnit.SECONDS);
  }

  /** The bytes {@code /bytes?n=N&seed=S} sends: a simple reproducible generator. */
  public static void fill(byte[] buf, long offset, long seed) {
    for (int i = 0; i < buf.length; i++) {
      long x = (offset + i) * 0x9E3779B97F4A7C15L + seed;
      x ^= x >>> 29;
      buf[i] = (byte) x;
    }
  }

  /** The SHA-256 of what {@code /bytes?n=N&seed=S} sends, to compare a download against. */
  public static byte[] sha256Of(long n, long seed) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (long at = 0; at < n; ) {
        byte[] chunk = new byte[(int) Math.min(65536, n - at)];
        fill(chunk, at, seed);
        md.update(chunk);
        at += chunk.length;
      }
      return md.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    sseGate.countDown();
    slowGate.countDown();
    jetty.stop();
  }

  private final class Endpoints extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : Collections.list(req.getHeaderNames())) {
        headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", Collections.list(req.getHeaders(name))));
      }
      seenHeaders.add(headers);
      try {
        switch (req.getRequestURI()) {
          case "/headers" -> headers(req, resp, headers);
          case "/upload" -> upload(req, resp);
          case "/bytes" -> bytes(req, resp);
          case "/redirect" -> {
            resp.setStatus(302);
            resp.setHeader("Location", "http://elsewhere.example/next");
          }
          case "/sse" -> sse(resp);
          case "/slow" -> slow(resp);
          case "/close" -> {
            resp.setHeader("Connection", "close");
            resp.setContentType("text/plain");
            resp.getWriter().print("closing");
          }
          case "/unauthorized" -> {
            resp.setStatus(401);
            resp.setHeader("WWW-Authenticate",
                "Bearer resource_metadata=\"https://mcp.example/.well-known/oauth-protected-resource\"");
          }
          default -> resp.sendError(404);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void headers(HttpServletRequest req, HttpServletResponse resp, Map<String, String> headers)
        throws IOException {
      StringBuilder out = new StringBuilder(req.getMethod()).append(' ').append(req.getRequestURI());
      if (req.getQueryString() != null) {
        out.append('?').append(req.getQueryString());
      }
      out.append('\n');
      headers.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
      byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
      resp.setContentType("text/plain");
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }

    private void upload(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long n = 0;
        byte[] buf = new byte[65536];
        try (InputStream in = req.getInputStream()) {
          for (int r; (r = in.read(buf)) > 0; ) {
            md.update(buf, 0, r);
            n += r;
          }
        }
        resp.setContentType("text/plain");
        resp.getWriter().print(HexFormat.of().formatHex(md.digest()) + " " + n);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    private void bytes(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      long n = Long.parseLong(req.getParameter("n"));
      long seed = req.getParameter("seed") == null ? 1 : Long.parseLong(req.getParameter("seed"));
      resp.setContentType("application/octet-stream");
      if (req.getParameter("chunked") == null) {
        resp.setContentLengthLong(n);
      }
      byte[] buf = new byte[65536];
      try (OutputStream out = resp.getOutputStream()) {
        for (long sent = 0; sent < n; ) {
          int len = (int) Math.min(buf.length, n - sent);
          byte[] chunk = len == buf.length ? buf : new byte[len];
          fill(chunk, sent, seed);
          out.write(chunk);
          sent += len;
        }
      }
    }

    private void sse(HttpServletResponse resp) throws IOException, InterruptedException {
      resp.setContentType("text/event-stream");
      resp.setHeader("Cache-Control", "no-cache");
      OutputStream out = resp.getOutputStream();
      out.write("id: 1\ndata: first\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      sseGate.await(60, TimeUnit.SECONDS);
      out.write("id: 2\ndata: second\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    private void slow(HttpServletResponse resp) throws IOException, InterruptedException {
      slowStarted.countDown();
      slowGate.await(60, TimeUnit.SECONDS);
      resp.setContentType("text/plain");
      resp.getWriter().print("finally");
    }
  }
}
