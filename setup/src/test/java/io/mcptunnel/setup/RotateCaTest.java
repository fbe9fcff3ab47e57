package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.PemFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of rotate-ca's steps and waits against a stand-in API: the waits fall between
 * registering and switching, and between switching and archiving, and pass through the sleeper.
 */
class RotateCaTest {
  static final String DOMAIN = "abc.example";

  @TempDir
  Path tmp;

  /** API calls, sleeps and what the output held at each sleep, in the order they happened. */
  final List<String> events = new CopyOnWriteArrayList<>();
  HttpServer server;
  DirectoryOutput output;
  String oldFingerprint;
  String oldTls;

  @BeforeEach
  void start() throws Exception {
    IssuedCertificate oldCa = TunnelPki.newCa(DOMAIN);
    oldFingerprint = CaRegistration.fingerprint(oldCa.certificate());
    output = new DirectoryOutput(tmp.resolve("out"));
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put(OutputKeys.TUNNEL_ID, "tnl_1");
    entries.put(OutputKeys.TUNNEL_DOMAIN, DOMAIN);
    entries.put(OutputKeys.CA_CRT, PemFiles.toPem(oldCa.certificate()));
    entries.put(OutputKeys.CA_KEY, PemFiles.toPem(oldCa.privateKey()));
    entries.putAll(TunnelPki.serverCertificate(oldCa, DOMAIN, Duration.ofDays(90)));
    output.write(entries);
    oldTls = entries.get(OutputKeys.TLS_CRT);

    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      String call = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
      events.add(call);
      boolean registered = events.contains("POST /v1/tunnels/tnl_1/certificates");
      String old = "{\"id\":\"tcrt_old\",\"fingerprint\":\"" + oldFingerprint + "\",\"archived_at\":null}";
      String fresh = "{\"id\":\"tcrt_new\",\"fingerprint\":\"ff\",\"archived_at\":null}";
      String body = switch (call) {
        case "POST /v1/oauth/token" -> "{\"access_token\":\"at\"}";
        case "GET /v1/tunnels/tnl_1/certificates" ->
            "{\"data\":[" + old + (registered ? "," + fresh : "") + "],\"next_page\":null}";
        case "POST /v1/tunnels/tnl_1/certificates" -> fresh;
        case "POST /v1/tunnels/tnl_1/certificates/tcrt_old/archive" ->
            "{\"id\":\"tcrt_old\",\"fingerprint\":\"" + oldFingerprint + "\",\"archived_at\":\"2026-11-26T00:00:00Z\"}";
        default -> null;
      };
      int status = body == null ? 500 : 200;
      byte[] bytes = (body == null ? "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"
          : body).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  RotateCa.Options options(boolean keepOld, Duration trustWait, Duration switchWait) {
    return new RotateCa.Options(new ApiEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), null),
        new FederationCredentials("fdrl_1", "org_1", null, "jwt"), output, null, keepOld, trustWait, switchWait);
  }

  /** Records the sleep and whether the output still held the old server certificate then. */
  void sleep(Duration d) {
    boolean switched = !output.read().get(OutputKeys.TLS_CRT).equals(oldTls);
    events.add("sleep " + d + (switched ? " (new tls.crt written)" : " (old tls.crt)"));
  }

  @Test
  void theDefaultWaitsFallBetweenRegisterAndSwitchAndBetweenSwitchAndArchive() {
    List<String> lines = new CopyOnWriteArrayList<>();
    RotateCa.Result result = new RotateCa(Clock.systemUTC(), lines::add, this::sleep)
        .run(options(false, null, null));

    assertThat(result.archivedCertificateId()).isEqualTo("tcrt_old");
    assertThat(events).containsExactly(
        "POST /v1/oauth/token",
        "GET /v1/tunnels/tnl_1/certificates",
        "GET /v1/tunnels/tnl_1/certificates",
        "POST /v1/tunnels/tnl_1/certificates",
        "sleep PT15S (old tls.crt)",
        "GET /v1/tunnels/tnl_1/certificates",
        "sleep PT2M (new tls.crt written)",
        "POST /v1/tunnels/tnl_1/certificates/tcrt_old/archive");
    assertThat(lines).contains("waiting 15s for callers to trust the new CA",
        "waiting 2m0s for proxies to serve the new certificate before archiving the old CA");
    assertThat(lines.indexOf("waiting 15s for callers to trust the new CA"))
        .isLessThan(lines.indexOf(lines.stream().filter(l -> l.startsWith("wrote new")).findFirst().orElseThrow()));
  }

  @Test
  void waitsAreConfigurableAndZeroSkipsThem() {
    List<String> lines = new CopyOnWriteArrayList<>();
    new RotateCa(Clock.systemUTC(), lines::add, this::sleep)
        .run(options(false, Duration.ofSeconds(6), Duration.ZERO));
    assertThat(events).filteredOn(e -> e.startsWith("sleep")).containsExactly("sleep PT6S (old tls.crt)");
    assertThat(lines).filteredOn(l -> l.startsWith("waiting")).containsExactly("waiting 6s for callers to trust the new CA");
  }

  @Test
  void keepOldHasNoSwitchWaitAndArchivesNothing() {
    RotateCa.Result result = new RotateCa(Clock.systemUTC(), l -> { }, this::sleep).run(options(true, null, null));
    assertThat(result.archivedCertificateId()).isNull();
    assertThat(events).filteredOn(e -> e.startsWith("sleep")).containsExactly("sleep PT15S (old tls.crt)");
    assertThat(events).noneMatch(e -> e.endsWith("/archive"));
  }

  @Test
  void anInterruptedWaitStopsBeforeArchivingAndSaysWhatState() {
    RotateCa.Sleeper interrupted = d -> {
      if (d.equals(RotateCa.DEFAULT_SWITCH_WAIT)) {
        throw new InterruptedException();
      }
    };
    assertThatThrownBy(() -> new RotateCa(Clock.systemUTC(), l -> { }, interrupted).run(options(false, null, null)))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("the old CA tcrt_old stays registered");
    assertThat(Thread.interrupted()).isTrue();
    assertThat(events).noneMatch(e -> e.endsWith("/archive"));
  }

  @Test
  void negativeWaitsAreRefused() {
    assertThatThrownBy(() -> options(false, Duration.ofSeconds(-1), null)).isInstanceOf(IllegalArgumentException.class);
  }
}
