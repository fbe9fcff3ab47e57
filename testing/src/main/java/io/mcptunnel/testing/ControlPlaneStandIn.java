package io.mcptunnel.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mcptunnel.pki.IssuedCertificate;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import io.mcptunnel.pki.PemFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The control plane's caller CA lookup on a loopback socket, answering as the internal API contract
 * says: one tunnel (domain and CAs settable), 404 for other hosts, or a forced status.
 */
public final class ControlPlaneStandIn implements AutoCloseable {
  public record Seen(String host, String authorization) {}

  private final HttpServer server;
  public final List<Seen> requests = new CopyOnWriteArrayList<>();
  public volatile String domain;
  public volatile List<X509Certificate> cas;
  /** When set, every request is answered with this status (and the contract's error body). */
  public volatile int forcedStatus;
  /** When set, requests wait for it before answering. */
  public volatile CountDownLatch gate;

  private final String scheme;

  public ControlPlaneStandIn(String domain, List<X509Certificate> cas) throws IOException {
    this(domain, cas, null);
  }

  /** Over HTTPS with {@code tls} as the server certificate when given. */
  public ControlPlaneStandIn(String domain, List<X509Certificate> cas, IssuedCertificate tls) throws IOException {
    this.domain = domain;
    this.cas = cas;
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(loopback, 0);
      scheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(serverContext(tls)));
      server = https;
      scheme = "https";
    }
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/internal/v1/caller/tunnel_cas", x -> {
      try {
        String query = x.getRequestURI().getQuery();
        String host = query != null && query.startsWith("host=") ? query.substring(5) : "";
        requests.add(new Seen(host, x.getRequestHeaders().getFirst("Authorization")));
        CountDownLatch g = gate;
        if (g != null) {
          g.await(30, TimeUnit.SECONDS);
        }
        int status;
        String body;
        String d = this.domain;
        if (forcedStatus != 0) {
          status = forcedStatus;
          body = "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
              + "\"message\":\"invalid internal credential\"}}";
        } else if (host.equals(d) || host.endsWith("." + d)) {
          status = 200;
          body = "{\"type\":\"tunnel_cas\",\"tunnel_id\":\"tnl_1\",\"domain\":\"" + d + "\",\"ca_certificates_pem\":["
              + this.cas.stream().map(c -> "\"" + PemFiles.toPem(c).replace("\n", "\\n") + "\"")
                  .collect(Collectors.joining(",")) + "],\"extra\":true}";
        } else {
          status = 404;
          body = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"no active tunnel for host "
              + host + "\"}}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
          out.write(bytes);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        x.close();
      }
    });
    server.start();
  }

  public URI url() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  private static SSLContext serverContext(IssuedCertificate tls) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      char[] password = "test-only".toCharArray();
      ks.setKeyEntry("server", tls.privateKey(), password, new Certificate[] {tls.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
