package io.mcptunnel.testing;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The control plane's internal API on loopback, as its contract (docs/api.md, "Internal API")
 * describes it, serving one set of tunnel records to both readers:
 *
 * <ul>
 *   <li>the edge feed {@code GET /internal/v1/edge/tunnel_state?after=N&wait=S}: a global version,
 *       full records, a reset when {@code after} is 0 or ahead, long polls held until a change;
 *   <li>the caller lookup {@code GET /internal/v1/caller/tunnel_cas?host=H}: the CAs of the
 *       non-archived tunnel whose domain is {@code H} or a parent of it, else 404.
 * </ul>
 *
 * <p>Both take {@code Authorization: Bearer <credential>} (else the contract's 401). Tests publish
 * records, make every request fail with any status, hold requests at a gate and read the requests
 * it saw.
 */
public final class ControlPlaneStandIn implements AutoCloseable {
  public static final String FEED_PATH = "/internal/v1/edge/tunnel_state";
  public static final String CAS_PATH = "/internal/v1/caller/tunnel_cas";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request as it came: its path, its {@code host} parameter (null when absent), its Authorization header. */
  public record Seen(String path, String host, String authorization) {}

  private record Answer(int status, String body) {}

  private interface Endpoint {
    Answer answer(Map<String, String> query) throws InterruptedException;
  }

  /** Every request, in arrival order. */
  public final List<Seen> requests = new CopyOnWriteArrayList<>();

  private final String credential;
  private final String scheme;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "control-plane-stand-in");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, ObjectNode> records = new LinkedHashMap<>(); // guarded by this
  private final Map<String, Long> changedAt = new LinkedHashMap<>(); // guarded by this
  private long version; // guarded by this
  private int failWith; // guarded by this; 0 = answer normally
  private boolean forceReset; // guarded by this
  private volatile CountDownLatch gate;

  /** Over HTTP, accepting {@code credential}. */
  public ControlPlaneStandIn(String credential) throws IOException {
    this(credential, null);
  }

  /** Over HTTPS with {@code tls} (its certificate must name "localhost") when not null. */
  public ControlPlaneStandIn(String credential, IssuedCertificate tls) throws IOException {
    this.credential = credential;
    this.scheme = tls == null ? "http" : "https";
    this.server = createServer(tls);
    server.setExecutor(executor);
    server.createContext(FEED_PATH, x -> serve(x, this::feed));
    server.createContext(CAS_PATH, x -> serve(x, this::cas));
    server.start();
  }

  private static HttpServer createServer(IssuedCertificate tls) throws IOException {
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    if (tls == null) {
      return HttpServer.create(loopback, 0);
    }
    HttpsServer https = HttpsServer.create(loopback, 0);
    https.setHttpsConfigurator(new HttpsConfigurator(sslContext(tls)));
    return https;
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

  /** The base URL: https://localhost:port over HTTPS (the name its certificate holds), else http://127.0.0.1:port. */
  public URI url() {
    return URI.create(scheme + "://" + (scheme.equals("https") ? "localhost" : "127.0.0.1") + ":" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  // ---- records ----

  /** A live tunnel's full record. */
  public static ObjectNode live(String id, String domain, String tokenId, String hash, X509Certificate... cas) {
    ObjectNode r = record(id, domain, false).put("some_future_field", "ignored");
    r.putObject("current_token").put("id", tokenId).put("secret_sha256", hash);
    r.putArray("retired_token_ids");
    ArrayNode pems = r.putArray("ca_certificates_pem");
    for (X509Certificate ca : cas) {
      pems.add(PemFiles.toPem(ca));
    }
    return r;
  }

  /** A live tunnel's record with a placeholder token, for tests of callers (which never see tokens). */
  public static ObjectNode live(String id, String domain, List<X509Certificate> cas) {
    return live(id, domain, "ttok_1", "0".repeat(64), cas.toArray(X509Certificate[]::new));
  }

  /** The record of an archived tunnel, as the contract shapes it. */
  public static ObjectNode archived(String id, String domain) {
    ObjectNode r = record(id, domain, true);
    r.putNull("current_token");
    r.putArray("retired_token_ids").add("ttok_old");
    r.putArray("ca_certificates_pem");
    return r;
  }

  private static ObjectNode record(String id, String domain, boolean archived) {
    return JSON.createObjectNode().put("id", id).put("domain", domain).put("organization_id", "org_1")
        .put("workspace_id", "wrkspc_1").put("archived", archived);
  }

  // ---- test controls ----

  /** Publishes records as one change (one version step) and wakes the held long polls. */
  public synchronized void publish(ObjectNode... changed) {
    version++;
    for (ObjectNode r : changed) {
      records.put(r.get("id").asText(), r);
      changedAt.put(r.get("id").asText(), version);
    }
    notifyAll();
  }

  /** Forgets a tunnel (only a reset shows this to an edge) and advances the version. */
  public synchronized void remove(String id) {
    version++;
    records.remove(id);
    changedAt.remove(id);
    notifyAll();
  }

  public synchronized long version() {
    return version;
  }

  /** The next feed answer is a reset, even to a current edge (as after a restore from an older backup). */
  public synchronized void resetOnce() {
    forceReset = true;
    notifyAll();
  }

  /** Answers every request with {@code status} (0: back to normal); held polls are released. */
  public synchronized void failWith(int status) {
    failWith = status;
    notifyAll();
  }

  /** Requests (already counted in {@link #requests}) wait for {@code gate} (up to 30 s) before being answered. */
  public void holdRequestsUntil(CountDownLatch gate) {
    this.gate = gate;
  }

  // ---- serving ----

  private void serve(HttpExchange exchange, Endpoint endpoint) throws IOException {
    try (exchange) {
      Map<String, String> query = query(exchange.getRequestURI().getQuery());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new Seen(exchange.getRequestURI().getPath(), query.get("host"), authorization));
      awaitGate();
      Answer answer;
      synchronized (this) {
        if (failWith != 0) {
          answer = failure(failWith);
        } else if (!("Bearer " + credential).equals(authorization)) {
          answer = failure(401);
        } else {
          answer = endpoint.answer(query);
        }
      }
      send(exchange, answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing: the exchange is closed unanswered
    }
  }

  private void awaitGate() throws InterruptedException {
    CountDownLatch g = gate;
    if (g != null) {
      g.await(30, TimeUnit.SECONDS);
    }
  }

  /** The edge feed; called holding the monitor, which {@link #waitForChange} releases while it waits. */
  private Answer feed(Map<String, String> query) throws InterruptedException {
    long after = Long.parseLong(query.getOrDefault("after", "0"));
    waitForChange(after, Integer.parseInt(query.getOrDefault("wait", "0")));
    if (failWith != 0) {
      return failure(failWith);
    }
    boolean reset = forceReset || after == 0 || after > version;
    forceReset = false;
    ObjectNode root = JSON.createObjectNode().put("type", "tunnel_state").put("version", version).put("reset", reset);
    ArrayNode tunnels = root.putArray("tunnels");
    records.forEach((id, r) -> {
      if (reset || changedAt.get(id) > after) {
        tunnels.add(r);
      }
    });
    return new Answer(200, root.toString());
  }

  /** Holds a long poll until a change, a reset, a failure or the end of {@code waitSeconds}. */
  private void waitForChange(long after, int waitSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    while (failWith == 0 && !forceReset && version == after) {
      long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMillis <= 0) {
        return;
      }
      wait(leftMillis);
    }
  }

  /** The caller CA lookup; called holding the monitor. */
  private Answer cas(Map<String, String> query) {
    String host = query.getOrDefault("host", "");
    for (ObjectNode r : records.values()) {
      String domain = r.get("domain").asText();
      if (!r.get("archived").asBoolean() && (host.equals(domain) || host.endsWith("." + domain))) {
        ObjectNode root = JSON.createObjectNode().put("type", "tunnel_cas").put("tunnel_id", r.get("id").asText())
            .put("domain", domain);
        root.set("ca_certificates_pem", r.get("ca_certificates_pem"));
        return new Answer(200, root.put("extra", true).toString());
      }
    }
    return new Answer(404, error("not_found_error", "no active tunnel for host " + host));
  }

  /** A forced or refused answer: the contract's 401, or an API error with any other status. */
  private static Answer failure(int status) {
    return status == 401
        ? new Answer(401, error("authentication_error", "invalid internal credential"))
        : new Answer(status, error("api_error", "stand-in failure"));
  }

  private static String error(String type, String message) {
    ObjectNode root = JSON.createObjectNode().put("type", "error");
    root.putObject("error").put("type", type).put("message", message);
    return root.toString();
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String decoded) {
    Map<String, String> out = new LinkedHashMap<>();
    if (decoded != null) {
      for (String pair : decoded.split("&")) {
        int eq = pair.indexOf('=');
        out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return out;
  }

  /** Stops serving; held long polls are answered 503 first. Closing twice is harmless. */
  @Override
  public void close() {
    failWith(503);
    server.stop(0);
    executor.shutdownNow();
  }
}
