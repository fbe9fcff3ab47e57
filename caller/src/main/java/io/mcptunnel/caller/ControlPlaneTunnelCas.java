package io.mcptunnel.caller;

import io.mcptunnel.common.LoopbackHosts;
import io.mcptunnel.pki.PkiException;
import io.mcptunnel.pki.TrustContexts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcptunnel.pki.PemFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tunnel CA certificates from the control plane: {@code GET <url>/internal/v1/caller/tunnel_cas?host=H}
 * with the caller's internal credential as a bearer token (internal API contract, "Caller CA lookup").
 *
 * <p>Answers are cached per tunnel domain for {@link #FRESH} only, so a CA archived at the control
 * plane stops being trusted within seconds; "no active tunnel" (404) is cached per host for
 * {@link #NOT_FOUND_FRESH}. Lookups of one host that overlap share one request. When the control
 * plane cannot be asked (unreachable, 5xx, or it refuses this caller's credential with 401/403), an
 * answer up to {@link #FAIL_STATIC} old is used instead ("fail static"), with one warning per outage;
 * without one the lookup fails with a {@link TunnelCallException} (503 unreachable, 502 refused).
 *
 * <p>{@link #forHost} never blocks: a cached answer is a completed future; otherwise the request runs
 * on the HTTP client's own threads and the future completes there ({@link TunnelCaller} hands the
 * result back to its event loop). The credential is sent only in the {@code Authorization} header,
 * and never appears in a message, a log line or {@link #toString()}.
 */
public final class ControlPlaneTunnelCas implements TunnelCas {
  /** How long a tunnel's CA set is used without asking again: short, so revocation takes effect quickly. */
  public static final Duration FRESH = Duration.ofSeconds(5);
  /** How long "no active tunnel for host" is believed. */
  public static final Duration NOT_FOUND_FRESH = Duration.ofSeconds(1);
  /** The oldest answer still used while the control plane cannot be asked. */
  public static final Duration FAIL_STATIC = Duration.ofMinutes(5);
  /**
   * The youngest cached answer a proxy certificate refusal drops: a younger one is as fresh as the
   * control plane can tell, and a proxy whose certificate no CA signs cannot make every request ask.
   */
  public static final Duration REFUSAL_REFRESH_AFTER = Duration.ofSeconds(1);
  static final String PATH = "/internal/v1/caller/tunnel_cas";

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneTunnelCas.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final URI base;
  private final String authorization;
  private final HttpClient http;
  private final Clock clock;
  private final Map<String, Known> byDomain = new ConcurrentHashMap<>();
  private final Map<String, Instant> notFound = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Optional<List<X509Certificate>>>> inFlight = new ConcurrentHashMap<>();
  private final AtomicBoolean outage = new AtomicBoolean();

  /** {@code refused}: a proxy certificate was refused against it, so it is no longer fresh (but still fail-static). */
  private record Known(List<X509Certificate> cas, Instant fetchedAt, boolean refused) {}

  private ControlPlaneTunnelCas(URI base, String credential, HttpClient http, Clock clock) {
    this.base = base;
    this.authorization = "Bearer " + credential;
    this.http = http;
    this.clock = clock;
  }

  /**
   * @param url the control plane's base URL: https, or http only to {@code localhost} or a loopback
   *     IP address (anywhere else the credential would travel in clear)
   * @param credential the internal client credential ({@code mcpti1.…}), role {@code caller}
   * @param trustedCas CA certificates trusted for the control plane's TLS certificate; empty: the
   *     system's
   * @throws IllegalArgumentException naming what is wrong with the URL, the credential or the CAs
   */
  public static ControlPlaneTunnelCas create(URI url, String credential, Optional<List<X509Certificate>> trustedCas,
      Clock clock) {
    URI base = checkUrl(url);
    if (credential == null || credential.isBlank()) {
      throw new IllegalArgumentException("the control plane credential is empty");
    }
    if (credential.strip().chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
      // Never quote it: the credential is a secret even when malformed.
      throw new IllegalArgumentException("the control plane credential holds whitespace or control characters");
    }
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    trustedCas.ifPresent(cas -> builder.sslContext(controlPlaneTrust(cas)));
    return new ControlPlaneTunnelCas(base, credential.strip(), builder.build(), clock);
  }

  /** The URL without a trailing slash, or why it cannot be used. */
  static URI checkUrl(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost();
    if (!url.isAbsolute() || host == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException(url + ": expected an https URL, e.g. https://control-plane.example.com");
    }
    if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException(url + ": no user info, query or fragment allowed");
    }
    if (scheme.equals("http") && !LoopbackHosts.isLoopback(host)) {
      throw new IllegalArgumentException(url + ": http would send the caller's control plane credential in clear; "
          + "use https (http is accepted only to localhost or a loopback IP address)");
    }
    String s = url.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  @Override
  public CompletableFuture<Optional<List<X509Certificate>>> forHost(String host) {
    String h = normalize(host);
    Instant now = clock.instant();
    Known known = cached(h, now);
    if (known != null && !known.refused() && younger(known.fetchedAt(), now, FRESH)) {
      return CompletableFuture.completedFuture(Optional.of(known.cas()));
    }
    Instant absent = notFound.get(h);
    if (absent != null && younger(absent, now, NOT_FOUND_FRESH)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletableFuture<Optional<List<X509Certificate>>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<List<X509Certificate>>> running = inFlight.putIfAbsent(h, mine);
    if (running != null) {
      return running; // one request for all overlapping lookups of the host
    }
    ask(h).whenComplete((answer, e) -> {
      // The cache is updated before the request stops being "in flight": a lookup in between finds it.
      inFlight.remove(h, mine);
      if (e != null) {
        mine.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
      } else {
        mine.complete(answer);
      }
    });
    return mine;
  }

  /**
   * Ends the freshness of the cached answer for {@code host} when it is the list the proxy's
   * certificate was refused against and at least {@link #REFUSAL_REFRESH_AFTER} old: during a CA
   * rotation the proxy may already serve a certificate of a CA registered after the answer was
   * fetched. The answer stays for fail static: if the control plane cannot be asked, it is still used.
   */
  @Override
  public void refused(String host, List<X509Certificate> cas) {
    String h = normalize(host);
    Instant now = clock.instant();
    for (String candidate : suffixes(h)) {
      Known k = byDomain.get(candidate);
      if (k != null) {
        if (!k.refused() && k.cas().equals(cas) && !younger(k.fetchedAt(), now, REFUSAL_REFRESH_AFTER)
            && byDomain.replace(candidate, k, new Known(k.cas(), k.fetchedAt(), true))) {
          LOG.atDebug().addKeyValue("domain", candidate)
              .log("proxy certificate signed by no cached CA; asking the control plane again");
        }
        return;
      }
    }
  }

  private CompletableFuture<Optional<List<X509Certificate>>> ask(String host) {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(base + PATH + "?host=" + URLEncoder.encode(host,
              StandardCharsets.UTF_8)))
          .timeout(REQUEST_TIMEOUT)
          .header("Authorization", authorization)
          .header("Accept", "application/json")
          .GET()
          .build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new TunnelCallException(400, "not a host name: " + host, false));
    }
    try {
      return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
          .handle((response, e) -> answer(host, response, e));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Runs on an HTTP client thread; throws the failure the lookup ends with. */
  private Optional<List<X509Certificate>> answer(String host, HttpResponse<String> response, Throwable e) {
    Instant now = clock.instant();
    if (e != null) {
      return failed(host, now, 503, "control plane unreachable: " + describe(e));
    }
    int status = response.statusCode();
    switch (status) {
      case 200 -> {
        List<X509Certificate> cas;
        String domain;
        try {
          JsonNode body = JSON.readTree(response.body());
          domain = normalize(body.path("domain").asText(""));
          if (!body.path("type").asText("").equals("tunnel_cas") || !covers(domain, host)
              || !body.path("ca_certificates_pem").isArray()) {
            throw new IllegalArgumentException("not a tunnel_cas answer for host " + host);
          }
          cas = new ArrayList<>();
          for (JsonNode pem : body.path("ca_certificates_pem")) {
            cas.addAll(PemFiles.parseCertificates(pem.asText(), "ca_certificates_pem of " + domain));
          }
        } catch (IOException | RuntimeException bad) {
          throw new TunnelCallException(502, "the control plane's answer for host " + host + " is unusable: "
              + bad.getMessage(), true);
        }
        byDomain.put(domain, new Known(List.copyOf(cas), now, false));
        notFound.remove(host);
        recovered();
        return Optional.of(List.copyOf(cas));
      }
      case 404 -> {
        // No active tunnel (archived, another organization, unknown): forget what was known for it.
        forget(host);
        notFound.values().removeIf(at -> !younger(at, now, NOT_FOUND_FRESH));
        notFound.put(host, now);
        recovered();
        return Optional.empty();
      }
      case 401 -> {
        return failed(host, now, 502, "the control plane refused this caller's credential (401 invalid internal "
            + "credential); check the caller's control plane credential");
      }
      case 403 -> {
        return failed(host, now, 502, "the control plane refused this caller's credential (403): it is not an "
            + "internal client with role caller");
      }
      default -> {
        if (status >= 500) {
          return failed(host, now, 503, "control plane unreachable: it answered HTTP " + status);
        }
        throw new TunnelCallException(502, "the control plane answered HTTP " + status + " for host " + host
            + errorMessage(response.body()), false);
      }
    }
  }

  /** Fail static: a recent enough answer if there is one, else the failure. */
  private Optional<List<X509Certificate>> failed(String host, Instant now, int status, String reason) {
    Known known = cached(host, now);
    boolean stale = known != null && younger(known.fetchedAt(), now, FAIL_STATIC);
    if (outage.compareAndSet(false, true)) {
      LOG.atWarn().addKeyValue("control_plane", base).addKeyValue("reason", reason)
          .log(stale ? "tunnel CA lookup failed; using answers up to " + FAIL_STATIC.toMinutes()
              + " minutes old until the control plane answers again" : "tunnel CA lookup failed");
    }
    if (stale) {
      return Optional.of(known.cas());
    }
    throw new TunnelCallException(status, reason, true);
  }

  private void recovered() {
    if (outage.compareAndSet(true, false)) {
      LOG.atInfo().addKeyValue("control_plane", base).log("tunnel CA lookups succeed again");
    }
  }

  /** The cached answer of the longest tunnel domain covering {@code host}; older than fail-static ones are dropped. */
  private Known cached(String host, Instant now) {
    for (String candidate : suffixes(host)) {
      Known k = byDomain.get(candidate);
      if (k != null) {
        if (younger(k.fetchedAt(), now, FAIL_STATIC)) {
          return k;
        }
        byDomain.remove(candidate, k);
      }
    }
    return null;
  }

  private void forget(String host) {
    suffixes(host).forEach(byDomain::remove);
  }

  /** {@code a.b.c} → {@code a.b.c}, {@code b.c}, {@code c}. */
  private static List<String> suffixes(String host) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i >= 0; i = host.indexOf('.', i) < 0 ? -1 : host.indexOf('.', i) + 1) {
      out.add(host.substring(i));
    }
    return out;
  }

  private static boolean covers(String domain, String host) {
    return !domain.isEmpty() && (host.equals(domain) || host.endsWith("." + domain));
  }

  private static String normalize(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private boolean younger(Instant at, Instant now, Duration limit) {
    return Duration.between(at, now).compareTo(limit) < 0;
  }

  private static String describe(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  /** The control plane's own error message, if the body is its error JSON. */
  private static String errorMessage(String body) {
    try {
      String m = JSON.readTree(body).path("error").path("message").asText("");
      return m.isEmpty() ? "" : ": " + m;
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "ControlPlaneTunnelCas[" + base + "]";
  }

  private static SSLContext controlPlaneTrust(List<X509Certificate> cas) {
    try {
      return TrustContexts.trusting(cas);
    } catch (PkiException e) {
      throw new IllegalArgumentException("control plane CA certificates: " + e.getMessage(), e);
    }
  }
}
