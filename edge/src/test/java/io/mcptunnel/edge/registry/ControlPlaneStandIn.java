package io.mcptunnel.edge.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The control plane's edge feed on loopback, as the internal API contract describes it: a global
 * version, full records, reset when {@code after} is 0 or ahead, long polls held until a change.
 * Tests publish records, make it fail (any status) and read the Authorization headers it saw.
 */
public final class ControlPlaneStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "control-plane-stand-in");
    t.setDaemon(true);
    return t;
  });
  private final String credential;
  private final String scheme;
  private final Map<String, ObjectNode> records = new LinkedHashMap<>(); // guarded by this
  private final Map<String, Long> changedAt = new LinkedHashMap<>(); // guarded by this
  private long version; // guarded by this
  private int failWith; // guarded by this; 0 = answer normally
  private boolean forceReset; // guarded by this
  public final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();
  public final AtomicInteger requests = new AtomicInteger();

  public ControlPlaneStandIn(String credential) throws IOException {
    this(credential, null);
  }

  /** Over HTTPS with {@code tls} (its certificate must name "localhost") when not null. */
  public ControlPlaneStandIn(String credential, IssuedCertificate tls) throws IOException {
    this.credential = credential;
    if (tls == null) {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } else {
      HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      https.setHttpsConfigurator(new HttpsConfigurator(sslContext(tls)));
      server = https;
    }
    this.scheme = tls == null ? "http" : "https";
    server.setExecutor(executor);
    server.createContext(ControlPlaneTunnelRegistry.FEED_PATH, this::handle);
    server.start();
  }

  public URI url() {
    return URI.create(scheme + "://" + (scheme.equals("https") ? "localhost" : "127.0.0.1") + ":"
        + server.getAddress().getPort());
  }

  private static SSLContext sslContext(IssuedCertificate tls) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", tls.privateKey(), new char[0], new Certificate[] {tls.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, new char[0]);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A live tunnel's full record. */
  public static ObjectNode live(String id, String domain, String tokenId, String hash, X509Certificate... cas) {
    ObjectNode r = JSON.createObjectNode().put("id", id).put("domain", domain).put("organization_id", "org_1")
        .put("workspace_id", "wrkspc_1").put("archived", false).put("some_future_field", "ignored");
    r.putObject("current_token").put("id", tokenId).put("secret_sha256", hash);
    r.putArray("retired_token_ids");
    ArrayNode pems = r.putArray("ca_certificates_pem");
    for (X509Certificate ca : cas) {
      pems.add(PemFiles.toPem(ca));
    }
    return r;
  }

  /** The record of an archived tunnel, as the contract shapes it. */
  public static ObjectNode archived(String id, String domain) {
    ObjectNode r = JSON.createObjectNode().put("id", id).put("domain", domain).put("organization_id", "org_1")
        .put("workspace_id", "wrkspc_1").put("archived", true);
    r.putNull("current_token");
    r.putArray("retired_token_ids").add("ttok_old");
    r.putArray("ca_certificates_pem");
    return r;
  }

  /** Publishes records as one change (one version step) and wakes the held long polls. */
  public synchronized void publish(ObjectNode... changed) {
    version++;
    for (ObjectNode r : changed) {
      records.put(r.get("id").asText(), r);
      changedAt.put(r.get("id").asText(), version);
    }
    notifyAll();
  }

  /** Forgets a tunnel (only a reset shows this) and advances the version. */
  public synchronized void remove(String id) {
    version++;
    records.remove(id);
    changedAt.remove(id);
    notifyAll();
  }

  public synchronized long version() {
    return version;
  }

  /** The next answer is a reset, even to a current edge (as after a restore from an older backup). */
  public synchronized void resetOnce() {
    forceReset = true;
    notifyAll();
  }

  /** Answers every request with {@code status} (0: back to normal); held polls are released. */
  public synchronized void failWith(int status) {
    failWith = status;
    notifyAll();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(String.valueOf(auth));
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      long after = Long.parseLong(query.getOrDefault("after", "0"));
      int wait = Integer.parseInt(query.getOrDefault("wait", "0"));
      String body;
      int status;
      synchronized (this) {
        if (failWith == 0 && !("Bearer " + credential).equals(auth)) {
          send(exchange, 401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
              + "\"message\":\"invalid internal credential\"}}");
          return;
        }
        long deadline = System.nanoTime() + wait * 1_000_000_000L;
        while (failWith == 0 && !forceReset && version == after && wait > 0) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            break;
          }
          try {
            wait(left);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (failWith != 0) {
          status = failWith;
          body = "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"stand-in failure\"}}";
        } else {
          status = 200;
          boolean reset = forceReset || after == 0 || after > version;
          forceReset = false;
          List<ObjectNode> tunnels = new ArrayList<>();
          records.forEach((id, r) -> {
            if (reset || changedAt.get(id) > after) {
              tunnels.add(r);
            }
          });
          ObjectNode root = JSON.createObjectNode().put("type", "tunnel_state").put("version", version)
              .put("reset", reset);
          root.putArray("tunnels").addAll(tunnels);
          body = JSON.writeValueAsString(root);
        }
      }
      send(exchange, status, body);
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return out;
  }

  @Override
  public void close() {
    synchronized (this) {
      failWith = 503;
      notifyAll();
    }
    server.stop(0);
    executor.shutdownNow();
  }
}
