package io.mcptunnel.edge.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.pki.PemFiles;
import io.mcptunnel.pki.TrustContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunnel state from the control plane's edge feed ({@code GET /internal/v1/edge/tunnel_state}).
 * The constructor loads a full snapshot or fails; then a daemon thread long-polls for changes,
 * merges them into a new immutable snapshot and tells the listeners which tunnels changed, so an
 * archive severs connections within one long-poll round trip.
 *
 * <p>When the control plane cannot be reached the last state is kept (fail static): live tunnels
 * keep working and an archive made during the outage applies on recovery. One warning is logged
 * per outage, not per retry, and one info line when the feed is back. The credential is sent as a
 * bearer token and never logged or put in an exception.
 */
public final class ControlPlaneTunnelRegistry extends SnapshotRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneTunnelRegistry.class);
  static final String FEED_PATH = "/internal/v1/edge/tunnel_state";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the feed is polled; tests shorten the waits. */
  record Timing(Duration startTimeout, int waitSeconds, Duration backoffMin, Duration backoffMax,
      Duration refusedBackoff) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(10), 25, Duration.ofMillis(200),
        Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  private final URI url;
  private final String authorization;
  private final HttpClient http;
  private final Timing timing;
  private final Clock clock;
  private final Thread poller;
  private volatile long version;
  private volatile Instant lastSync;
  private volatile boolean closed;

  /**
   * Reads the credential file (and the CA file, if any) and loads the first snapshot; every
   * failure is a {@link RegistryException} naming {@code control_plane.url} or the file.
   */
  public static ControlPlaneTunnelRegistry connect(URI url, Path credentialFile, Optional<Path> caFile) {
    String credential = readCredential(credentialFile);
    HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
    caFile.ifPresent(f -> http.sslContext(trusting(f)));
    return new ControlPlaneTunnelRegistry(url, credential, http.build(), Timing.DEFAULT, Clock.systemUTC());
  }

  ControlPlaneTunnelRegistry(URI url, String credential, HttpClient http, Timing timing, Clock clock) {
    this.url = url;
    this.authorization = "Bearer " + credential;
    this.http = http;
    this.timing = timing;
    this.clock = clock;
    try {
      Feed first = fetch(0, 0, timing.startTimeout());
      apply(first, false);
    } catch (FeedException e) {
      throw new RegistryException("control_plane.url " + url + ": cannot load the tunnel state: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("control_plane.url " + url + ": interrupted while loading the tunnel state", e);
    }
    LOG.atInfo().addKeyValue("url", url.toString()).addKeyValue("version", version)
        .addKeyValue("tunnels", current().byId().size()).log("tunnel state loaded from the control plane");
    poller = new Thread(this::poll, "mcptunnel-control-plane-feed");
    poller.setDaemon(true);
    poller.start();
  }

  /** The control plane's address, as configured. */
  public URI url() {
    return url;
  }

  /** The state version of the current snapshot (the control plane's global version). */
  public long version() {
    return version;
  }

  /** When the feed last answered successfully. */
  public Instant lastSync() {
    return lastSync;
  }

  private void poll() {
    Duration backoff = timing.backoffMin();
    Instant outageSince = null;
    boolean outageRefused = false;
    while (!closed) {
      try {
        Feed feed = fetch(version, timing.waitSeconds(), Duration.ofSeconds(timing.waitSeconds() + 10L));
        if (outageSince != null) {
          LOG.atInfo().addKeyValue("url", url.toString()).addKeyValue("version", feed.version())
              .addKeyValue("outage_seconds", Duration.between(outageSince, clock.instant()).toSeconds())
              .log("control plane reachable again, tunnel state in sync");
          outageSince = null;
        }
        backoff = timing.backoffMin();
        apply(feed, true);
      } catch (InterruptedException e) {
        return; // close()
      } catch (FeedException | RuntimeException e) {
        if (closed) {
          return;
        }
        boolean refused = e instanceof FeedException f && f.refused;
        // Once per outage, and again if it turns from "unreachable" into "credential refused" (or
        // back): only the latter needs an operator to act.
        if (outageSince == null || refused != outageRefused) {
          outageSince = outageSince == null ? clock.instant() : outageSince;
          outageRefused = refused;
          LOG.atWarn().addKeyValue("url", url.toString()).addKeyValue("reason", e.getMessage())
              .addKeyValue("version", version)
              .log("control plane feed failed, keeping the last tunnel state until it is back");
        }
        Duration pause;
        if (refused) {
          pause = timing.refusedBackoff(); // an operator must fix the credential; no point hurrying
        } else {
          pause = backoff;
          backoff = backoff.multipliedBy(2).compareTo(timing.backoffMax()) > 0 ? timing.backoffMax()
              : backoff.multipliedBy(2);
        }
        try {
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** One answer of the feed: the records as sent, already mapped. */
  private record Feed(long version, boolean reset, List<TunnelState> tunnels, Set<String> skipped) {}

  /** A failed request; the message never holds the credential. {@code refused}: 401 or 403. */
  private static final class FeedException extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean refused;

    FeedException(String message, boolean refused, Throwable cause) {
      super(message, cause);
      this.refused = refused;
    }
  }

  private Feed fetch(long after, int waitSeconds, Duration timeout) throws FeedException, InterruptedException {
    URI feedUri = URI.create(stripSlash(url.toString()) + FEED_PATH + "?after=" + after + "&wait=" + waitSeconds);
    HttpRequest request = HttpRequest.newBuilder(feedUri).timeout(timeout)
        .header("Authorization", authorization).header("Accept", "application/json").GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new FeedException("no answer within " + timeout.toSeconds() + "s", false, e);
    } catch (IOException e) {
      throw new FeedException(describe(e), false, e);
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new FeedException("control plane refused the edge credential (HTTP " + status + ": "
          + errorMessage(response.body()) + ")", true, null);
    }
    if (status != 200) {
      throw new FeedException("HTTP " + status + ": " + errorMessage(response.body()), false, null);
    }
    try {
      return parse(response.body());
    } catch (IOException | RuntimeException e) {
      throw new FeedException("invalid tunnel_state answer: " + e.getMessage(), false, e);
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.net.ConnectException) {
      return "connection refused" + (m == null || m.isBlank() ? "" : " (" + m + ")");
    }
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** The error message of an API error body, bounded; never the request's headers. */
  private static String errorMessage(String body) {
    try {
      JsonNode m = JSON.readTree(body).path("error").path("message");
      if (m.isTextual()) {
        return truncate(m.asText());
      }
    } catch (IOException | RuntimeException ignored) {
      // not the API's error shape
    }
    return body == null || body.isBlank() ? "empty body" : "unexpected body";
  }

  private static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private Feed parse(String body) throws IOException {
    JsonNode root = JSON.readTree(body);
    if (root == null || !root.isObject() || !"tunnel_state".equals(root.path("type").asText())) {
      throw new IllegalArgumentException("expected an object of type tunnel_state");
    }
    JsonNode v = root.get("version");
    if (v == null || !v.canConvertToLong() || v.asLong() < 0) {
      throw new IllegalArgumentException("version: expected a non-negative integer");
    }
    JsonNode list = root.get("tunnels");
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException("tunnels: expected a list");
    }
    List<TunnelState> tunnels = new ArrayList<>();
    Set<String> skipped = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      TunnelState t = tunnel(list.get(i), "tunnels[" + i + "]");
      if (t != null) {
        tunnels.add(t);
      } else if (list.get(i).path("id").isTextual()) {
        skipped.add(list.get(i).path("id").asText());
      }
    }
    return new Feed(v.asLong(), root.path("reset").asBoolean(false), tunnels, skipped);
  }

  /**
   * One record, or null when it cannot be used at all (then that tunnel keeps its previous state:
   * one bad record must not poison the update of every other tunnel). Unknown fields are ignored,
   * as the contract asks.
   */
  private TunnelState tunnel(JsonNode node, String at) {
    String id = node.path("id").asText("");
    if (!node.isObject() || id.isEmpty()) {
      LOG.atError().addKeyValue("record", at).log("control plane sent a tunnel record without an id, ignored");
      return null;
    }
    boolean archived = node.path("archived").asBoolean(false);
    TunnelState previous = current().byId().get(id);
    String domain = node.path("domain").asText("");
    String organization = node.path("organization_id").asText("");
    if (domain.isEmpty() || organization.isEmpty()) {
      if (archived && previous != null) { // an archive always applies: it is what severs connections
        return previous.asArchived();
      }
      LOG.atError().addKeyValue("tunnel", id).log("control plane sent a tunnel record without domain or "
          + "organization_id, ignored (the tunnel keeps its previous state)");
      return null;
    }
    Set<String> retired = new LinkedHashSet<>();
    node.path("retired_token_ids").forEach(r -> retired.add(r.asText()));
    // Absent from control planes older than V4: no token was ever severed there.
    Set<String> severed = new LinkedHashSet<>();
    node.path("severed_token_ids").forEach(r -> severed.add(r.asText()));
    if (archived) {
      // An archived tunnel has no current token (current_token null). ConnectorAdmission checks
      // "archived" before any token, so empty token fields never admit anyone.
      return new TunnelState(id, domain, organization, "", "", retired, severed, List.of(), true);
    }
    JsonNode token = node.path("current_token");
    String tokenId = token.path("id").asText("");
    String hash = token.path("secret_sha256").asText("");
    if (tokenId.isEmpty() || hash.isEmpty()) {
      LOG.atError().addKeyValue("tunnel", id).log("control plane sent a live tunnel without current_token, "
          + "ignored (the tunnel keeps its previous state)");
      return null;
    }
    if (severed.contains(tokenId)) {
      // Severing the current token would drop the tunnel's own fresh connections: a broken record.
      LOG.atError().addKeyValue("tunnel", id).log("control plane sent the current token as severed, "
          + "ignored (the tunnel keeps its previous state)");
      return null;
    }
    return new TunnelState(id, domain, organization, tokenId, hash, retired, severed, cas(node, id), false);
  }

  /**
   * The tunnel's CA certificates. A PEM that does not parse makes the tunnel's CA list empty
   * rather than keeping the previous one or failing the update: keeping old CAs could keep a
   * revoked CA trusted, failing the update would freeze every other tunnel (including archives),
   * and an empty list only stops caller streams to this one tunnel (503) until the record is fixed.
   */
  private static List<X509Certificate> cas(JsonNode node, String id) {
    List<X509Certificate> cas = new ArrayList<>();
    JsonNode pems = node.path("ca_certificates_pem");
    try {
      for (JsonNode pem : pems) {
        if (!pem.isTextual() || pem.asText().contains("PRIVATE KEY")) {
          throw new IllegalArgumentException("expected certificate PEM text only");
        }
        cas.addAll(PemFiles.parseCertificates(pem.asText(), "ca_certificates_pem of " + id));
      }
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("tunnel", id).addKeyValue("reason", e.getMessage())
          .log("control plane sent an unreadable CA certificate; the tunnel gets no caller streams until it is fixed");
      return List.of();
    }
    return cas;
  }

  /** Replaces (reset) or merges the state, then notifies the listeners of each changed tunnel. */
  private synchronized void apply(Feed feed, boolean notify) {
    TunnelSnapshot previous = current();
    Map<String, TunnelState> next = new LinkedHashMap<>();
    if (!feed.reset()) {
      next.putAll(previous.byId());
    }
    // A reset whose record of a tunnel was unusable keeps that tunnel's previous state rather than
    // dropping it (which would report it archived and sever its connections).
    feed.skipped().forEach(id -> previous.lookupId(id).ifPresent(t -> next.put(id, t)));
    feed.tunnels().forEach(t -> next.put(t.id(), t));
    TunnelSnapshot snapshot = TunnelSnapshot.of(next.values());
    List<TunnelState> changed = publish(snapshot);
    version = feed.version();
    lastSync = clock.instant();
    if (!notify) {
      return;
    }
    if (!changed.isEmpty() || feed.reset()) {
      LOG.atInfo().addKeyValue("version", feed.version()).addKeyValue("reset", feed.reset())
          .addKeyValue("tunnels", snapshot.byId().size()).addKeyValue("changed", changed.size())
          .log("tunnel state updated from the control plane");
    }
    announce(changed);
  }

  /** The credential file's content, trimmed; the value is never put in a message. */
  static String readCredential(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new RegistryException("control_plane.credential_file: open " + file + ": no such file or directory", e);
    } catch (AccessDeniedException e) {
      throw new RegistryException("control_plane.credential_file: open " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new RegistryException("control_plane.credential_file: read " + file + ": " + e.getMessage(), e);
    }
    if (text.isEmpty()) {
      throw new RegistryException("control_plane.credential_file: " + file
          + " is empty (expected the edge's internal credential, mcpti1.…)");
    }
    if (!text.startsWith("mcpti1.") || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new RegistryException("control_plane.credential_file: " + file
          + " does not hold an internal credential (expected one line mcpti1.<client id>.<secret>)");
    }
    return text;
  }

  /** TLS trusting only the CAs of {@code caFile} (instead of the system store). */
  private static SSLContext trusting(Path caFile) {
    try {
      return TrustContexts.trusting(PemFiles.readCertificates(caFile));
    } catch (RuntimeException e) {
      throw new RegistryException("control_plane.ca_file: " + caFile + ": " + e.getMessage(), e);
    }
  }


  @Override
  public void close() {
    closed = true;
    poller.interrupt();
  }
}
