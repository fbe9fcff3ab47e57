package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mcptunnel.pki.CertificateIssuer;
import io.mcptunnel.pki.IssuedCertificate;
import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.sample.SampleMcpServer;
import io.mcptunnel.sample.oauth.OAuthResourceConfig;
import io.mcptunnel.testing.TestOidcIssuer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mcptunnel audit} on a deliberately weak deployment (every planted weakness is found, with
 * its check id and severity) and on a hardened one (no finding, exit 0). Real parts: the plain
 * sample MCP server (plain, and in its OAuth resource-server mode with a test OIDC issuer), real
 * certificates and file modes, and the real control plane (embedded database) for the SSO check.
 */
class AuditIT {
  static final String DOMAIN = "t1.example";
  static final String DIGEST = "sha256:" + "c".repeat(64);
  static final String ADMIN_TOKEN = "admin-token-not-shown";

  @TempDir
  Path dir;

  final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  @Test
  void weakDeploymentShowsEveryPlantedWeakness() throws Exception {
    SampleMcpServer mcp = SampleMcpServer.start("127.0.0.1");
    running.add(mcp);
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    IssuedCertificate ca = CertificateIssuer.createCa("weak CA", Duration.ofDays(3650), KeyPairs.ecP256());
    // Near expiry, and for names that do not cover the route.
    writeSetupOutput(data, ca, server(ca, Duration.ofDays(5), "*.other.example"), "rw-r--r--", false);
    Files.setLastModifiedTime(data.resolve("tunnel-token"), FileTime.from(Instant.now().minus(Duration.ofDays(200))));
    Path config = write("weak.yaml", """
        listen_addr: ":8080"
        tunnel_domain: %s
        tls: {cert_file: %s, key_file: %s}
        routes:
          echo: %s
        upstream:
          disable_ip_validation: true
        """.formatted(DOMAIN, data.resolve("tls.crt"), data.resolve("tls.key"), mcp.url()));
    Path compose = write("compose.yaml", """
        services:
          proxy:
            image: ghcr.io/mcptunnel/mcptunnel:1.0
          connector:
            image: ${AUDIT_IT_CONNECTOR_IMAGE:?pin the connector image}
            user: "65532:65532"
            read_only: true
            cap_drop: [ALL]
            security_opt: ["no-new-privileges:true"]
            logging: {driver: json-file, options: {max-size: "10m"}}
            network_mode: host
        """);
    Path helm = write("values.yaml", """
        image: {repository: ghcr.io/mcptunnel/mcptunnel, tag: "1.0"}
        podSecurityContext: {runAsNonRoot: true, runAsUser: 65532}
        containerSecurityContext:
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        networkPolicy: {enabled: true, upstreams: [{cidr: 127.0.0.1/32, port: 9000}]}
        renewCert: {enabled: true}
        """);
    ControlPlaneFixture cp = controlPlane();
    String open = cp.admin("POST", "/v1/admin/organizations", "{\"display_name\":\"Open\"}").get("id").asText();
    String legacy = cp.admin("POST", "/v1/admin/organizations", "{\"display_name\":\"Legacy\"}").get("id").asText();
    Path adminToken = secretFile("admin-token", cp.adminToken);

    CliRun run = CliRun.of("audit", "--config", config.toString(), "--data", data.toString(),
        "--compose", compose.toString(), "--control-plane", cp.base.toString(),
        "--admin-token-file", adminToken.toString(), "--json");

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).isEmpty();
    JsonNode report = new ObjectMapper().readTree(run.out());
    String tlsCrt = data.resolve("tls.crt").toString();
    assertThat(findings(report)).containsExactlyInAnyOrder(
        tuple("ip-validation-disabled", "critical", "upstream.disable_ip_validation"),
        tuple("oauth-not-required", "high", "route echo"),
        tuple("cert-invalid", "high", tlsCrt),
        tuple("secret-file-mode", "high", data.resolve("tls.key").toString()),
        tuple("secret-file-mode", "high", data.resolve("ca.key").toString()),
        tuple("secret-file-mode", "high", data.resolve("tunnel-token").toString()),
        tuple("compose-variable-unset", "high", compose.toString()),
        tuple("image-not-pinned", "high", "service proxy (" + compose + ")"),
        tuple("image-not-pinned", "high", "service connector (" + compose + ")"),
        tuple("container-host-network", "high", "service connector (" + compose + ")"),
        tuple("tools-unrestricted", "medium", "route echo"),
        tuple("cert-expiring", "medium", tlsCrt),
        tuple("token-old", "medium", data.resolve("tunnel-token").toString()),
        tuple("data-dir-mode", "medium", data.toString()),
        tuple("container-runs-as-root", "medium", "service proxy (" + compose + ")"),
        tuple("container-writable-root", "medium", "service proxy (" + compose + ")"),
        tuple("container-capabilities-kept", "medium", "service proxy (" + compose + ")"),
        tuple("container-new-privileges", "medium", "service proxy (" + compose + ")"),
        tuple("container-log-rotation-missing", "medium", "service proxy (" + compose + ")"),
        tuple("sso-not-required", "medium", "organization " + open + " (Open)"),
        tuple("sso-not-required", "medium", "organization " + legacy + " (Legacy)"),
        tuple("require-authorization-off", "low", "route echo"),
        tuple("ca-key-unencrypted", "low", data.resolve("ca.key").toString()));
    assertThat(evidence(report, "tools-unrestricted"))
        .isEqualTo("3 tools exposed: add, echo, hello; restrict with policies.echo.allowed_tools");
    assertThat(evidence(report, "oauth-not-required")).isEqualTo("an unauthenticated initialize was answered 200, not 401");
    assertThat(evidence(report, "token-old")).startsWith("tunnel token is 200 days old");
    assertThat(evidence(report, "cert-invalid")).startsWith("fails the server-certificate rule: ")
        .endsWith("(checked for echo." + DOMAIN + ")");
    assertThat(evidence(report, "compose-variable-unset"))
        .isEqualTo("variable AUDIT_IT_CONNECTOR_IMAGE is not set in the environment or .env: pin the connector image");
    assertThat(report.at("/inventory/0/tools_exposed").toString()).isEqualTo("[\"add\",\"echo\",\"hello\"]");
    assertThat(report.at("/summary/failed").asBoolean()).isTrue();
    assertThat(run.out()).doesNotContain(cp.adminToken).doesNotContain("PRIVATE KEY-----\n");
    assertThat(Files.readString(data.resolve("tunnel-token"))).isNotBlank();
    assertThat(run.out()).doesNotContain(Files.readString(data.resolve("tunnel-token")).trim());

    // The same deployment described by Helm values: the tag-only image is the Helm finding; the
    // configuration's own certificate and key (the same files) are still checked without --data.
    CliRun helmRun = CliRun.of("audit", "--config", config.toString(), "--helm-values", helm.toString(),
        "--fail-on", "critical");
    assertThat(helmRun.exit()).as(helmRun.err()).isEqualTo(1);
    assertThat(helmRun.out()).contains("HIGH      image-not-pinned  " + helm + "\n"
        + "  evidence: image.digest is not set: ghcr.io/mcptunnel/mcptunnel runs whatever its tag points to\n");
    assertThat(helmRun.out()).contains("    tools exposed: add, echo, hello\n")
        .endsWith("summary: 7 findings (1 critical, 3 high, 2 medium, 1 low, 0 info); fail-on critical: failed\n");
  }

  @Test
  void hardenedDeploymentHasNoFinding() throws Exception {
    String resource = "https://echo." + DOMAIN + "/mcp";
    TestOidcIssuer issuer = TestOidcIssuer.start(Clock.systemUTC());
    running.add(issuer);
    SampleMcpServer upstream = SampleMcpServer.start("127.0.0.1", 0, OAuthResourceConfig.builder().resource(resource)
        .issuer(issuer.issuer()).jwksUrl(issuer.jwksUri().toString()).build());
    running.add(upstream);
    String bearer = issuer.token("audit", resource).claim("scope", "mcp:tools").sign(JWSAlgorithm.RS256);
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    IssuedCertificate ca = CertificateIssuer.createCa("hardened CA", Duration.ofDays(3650), KeyPairs.ecP256());
    writeSetupOutput(data, ca, server(ca, Duration.ofDays(90), "*." + DOMAIN), "rw-------", true);
    Path config = write("hardened.yaml", """
        listen_addr: ":8080"
        tunnel_domain: %s
        tls: {cert_file: %s, key_file: %s}
        routes:
          echo: http://127.0.0.1:%d
        upstream:
          allowed_ips: [127.0.0.1/32]
        policies:
          echo:
            allowed_tools: [echo]
            require_authorization: true
        """.formatted(DOMAIN, data.resolve("tls.crt"), data.resolve("tls.key"), upstream.port()));
    String hardening = """
            user: "65532:65532"
            read_only: true
            cap_drop: [ALL]
            security_opt: ["no-new-privileges:true"]
            logging: {driver: json-file, options: {max-size: "10m", max-file: "3"}}
        """;
    Path compose = write("compose.yaml", """
        services:
          proxy:
            image: ${PROXY_IMAGE}
        %s  connector:
            image: ghcr.io/mcptunnel/mcptunnel@%s
            network_mode: "service:proxy"
        %s""".formatted(hardening, DIGEST, hardening));
    write(".env", "PROXY_IMAGE=ghcr.io/mcptunnel/mcptunnel@" + DIGEST + "\n");
    Path helm = write("values.yaml", """
        image: {repository: ghcr.io/mcptunnel/mcptunnel, digest: "%s"}
        podSecurityContext: {runAsNonRoot: true, runAsUser: 65532}
        containerSecurityContext:
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
        networkPolicy: {enabled: true, upstreams: [{cidr: 127.0.0.1/32, port: 9000}]}
        renewCert: {enabled: true}
        """.formatted(DIGEST));
    ControlPlaneFixture cp = controlPlane();
    String acme = cp.admin("POST", "/v1/admin/organizations", "{\"display_name\":\"Acme\"}").get("id").asText();
    cp.admin("PATCH", "/v1/admin/organizations/" + acme, "{\"sso_required\":true}");
    Path adminToken = secretFile("admin-token", cp.adminToken);
    String controlPlane = cp.base.toString();

    CliRun run = CliRun.of("audit", "--config", config.toString(), "--data", data.toString(),
        "--compose", compose.toString(), "--control-plane", controlPlane, "--admin-token-file", adminToken.toString(),
        "--fail-on", "info");
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("""
        inventory:
          route echo -> http://127.0.0.1:%d
            probe:         401, WWW-Authenticate: Bearer resource_metadata="https://echo.%s/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"; metadata resource https://echo.%s/mcp
            tools exposed: not listed: needs --bearer-token-file
            tools allowed: echo

        summary: 0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info); fail-on info: passed
        """.formatted(upstream.port(), DOMAIN, DOMAIN));
    assertThat(run.exit()).isZero();

    // With a token the tools are listed through the OAuth gate; allowed_tools names only offered ones.
    CliRun helmRun = CliRun.of("audit", "--config", config.toString(), "--data", data.toString(),
        "--helm-values", helm.toString(), "--fail-on", "info", "--json",
        "--bearer-token-file", secretFile("bearer", bearer).toString());
    assertThat(helmRun.exit()).as(helmRun.out()).isZero();
    JsonNode report = new ObjectMapper().readTree(helmRun.out());
    assertThat(report.at("/summary/total").asInt()).isZero();
    // The OAuth mode adds whoami (it answers with the token's subject).
    assertThat(report.at("/inventory/0/tools_exposed").toString()).isEqualTo("[\"add\",\"echo\",\"hello\",\"whoami\"]");
    assertThat(report.at("/inventory/0/tools_allowed").toString()).isEqualTo("[\"echo\"]");
    assertThat(helmRun.out()).doesNotContain(bearer);
  }

  @Test
  void usageAndInputErrorsExitTwoWithOneLine() throws Exception {
    CliRun missing = CliRun.of("audit", "--config", dir.resolve("absent.yaml").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err().lines().toList()).singleElement().asString().startsWith("mcptunnel: ");
    CliRun badSeverity = CliRun.of("audit", "--fail-on", "severe");
    assertThat(badSeverity.exit()).isEqualTo(2);
    assertThat(badSeverity.err()).contains("severity: severe (expected: info, low, medium, high or critical)");
    CliRun both = CliRun.of("audit", "--compose", "a.yaml", "--helm-values", "b.yaml");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive");
    Path config = write("c.yaml", """
        listen_addr: ":8080"
        tls: {cert_file: /nonexistent/tls.crt, key_file: /nonexistent/tls.key}
        routes: {echo.t1.example: "http://10.0.0.6:9000"}
        """);
    CliRun half = CliRun.of("audit", "--config", config.toString(), "--control-plane", "http://127.0.0.1:1");
    assertThat(half.exit()).isEqualTo(2);
    assertThat(half.err()).startsWith("--control-plane and --admin-token-file go together\n");
    Path adminToken = secretFile("admin-token", ADMIN_TOKEN);
    CliRun clear = CliRun.of("audit", "--config", config.toString(), "--control-plane", "http://cp.example:7850",
        "--admin-token-file", adminToken.toString());
    assertThat(clear.exit()).isEqualTo(2);
    assertThat(clear.err()).startsWith("--control-plane http://cp.example:7850: expected https://HOST[:PORT]"
        + " (http only to loopback: the admin token travels in it)\n");
    CliRun noData = CliRun.of("audit", "--config", config.toString(), "--data", dir.resolve("absent").toString());
    assertThat(noData.exit()).isEqualTo(2);
    assertThat(noData.err()).isEqualTo("mcptunnel: --data " + dir.resolve("absent") + ": not a folder\n");
  }

  // --- the deployment's parts ---

  private static IssuedCertificate server(IssuedCertificate ca, Duration validity, String... names) {
    KeyPair keys = KeyPairs.ecP256();
    return new IssuedCertificate(CertificateIssuer.issueServer(ca, keys.getPublic(), List.of(names), validity),
        keys.getPrivate());
  }

  /** What setup writes into its output folder, with the secret files' mode chosen by the test. */
  private static void writeSetupOutput(Path data, IssuedCertificate ca, IssuedCertificate server, String secretMode,
      boolean encryptCaKey) throws Exception {
    Files.writeString(data.resolve("tunnel-id"), "tun_1\n");
    Files.writeString(data.resolve("tunnel-domain"), DOMAIN + "\n");
    Files.writeString(data.resolve("token-version"), "1\n");
    Files.writeString(data.resolve("ca.crt"), PemFiles.toPem(ca.certificate()));
    Files.writeString(data.resolve("tls.crt"), PemFiles.toPem(server.certificate()));
    Files.writeString(data.resolve("tls.key"), PemFiles.toPem(server.privateKey()));
    Files.writeString(data.resolve("ca.key"), encryptCaKey ? encrypted(ca.privateKey()) : PemFiles.toPem(ca.privateKey()));
    Files.writeString(data.resolve("tunnel-token"), "tunnel-token-value-not-shown\n");
    for (String secret : List.of("tls.key", "ca.key", "tunnel-token")) {
      Files.setPosixFilePermissions(data.resolve(secret), PosixFilePermissions.fromString(secretMode));
    }
  }

  private static String encrypted(PrivateKey key) throws Exception {
    var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
        .setProvider(new BouncyCastleProvider()).setPassword("passphrase".toCharArray()).build();
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(key, encryptor));
    }
    return out.toString();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private Path secretFile(String name, String content) throws IOException {
    Path p = write(name, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  @Test
  void ssoCheckFollowsThePagesOfACompatibleControlPlane() throws Exception {
    HttpServer cp = pagedOrganizations("""
        {"data":[{"id":"org_open","object":"organization","display_name":"Open","sso_required":false}],"next_page":"p2"}""",
        """
        {"data":[{"id":"org_legacy","object":"organization","display_name":"Legacy"}],"next_page":null}""");
    Path adminToken = secretFile("admin-token", ADMIN_TOKEN);

    Path config = write("config.yaml", """
        listen_addr: ":8080"
        tls: {cert_file: /nonexistent/tls.crt, key_file: /nonexistent/tls.key}
        routes: {mcp.t1.example: "http://127.0.0.1:1"}
        """);

    CliRun run = CliRun.of("audit", "--config", config.toString(), "--control-plane",
        "http://127.0.0.1:" + cp.getAddress().getPort(), "--admin-token-file", adminToken.toString(), "--json",
        "--fail-on", "medium");

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(findings(new ObjectMapper().readTree(run.out())).stream()
        .filter(f -> f.toList().get(0).equals("sso-not-required"))).containsExactlyInAnyOrder(
        tuple("sso-not-required", "medium", "organization org_open (Open)"),
        tuple("sso-not-required", "medium", "organization org_legacy (Legacy)"));
    assertThat(run.out()).doesNotContain(ADMIN_TOKEN);
  }

  /** The real control plane on the embedded database; the operator's admin token is in {@code adminToken}. */
  private ControlPlaneFixture controlPlane() {
    ControlPlaneFixture cp = new ControlPlaneFixture(dir.resolve("cp"), null);
    running.add(cp);
    return cp;
  }

  /**
   * A stand-in for a compatible control plane whose {@code GET /v1/admin/organizations} is paged
   * (ours answers in one page): one page per body, {@code ?page=p2} for the second.
   */
  private HttpServer pagedOrganizations(String... pages) throws IOException {
    return serve((path, query) -> path.equals("/v1/admin/organizations")
        ? new Answer(200, "Content-Type", "application/json", pages[query == null ? 0 : Integer.parseInt(query.substring("page=p".length())) - 1])
        : new Answer(404, "Content-Type", "text/plain", "not found"));
  }

  record Answer(int status, String header, String value, String body) {}

  interface Handler {
    Answer answer(String path, String query);
  }

  private HttpServer serve(Handler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      ex.getRequestBody().readAllBytes();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      Answer a = ex.getRequestURI().getPath().startsWith("/v1/admin/") && !("Bearer " + ADMIN_TOKEN).equals(auth)
          ? new Answer(401, "Content-Type", "application/json", "{}")
          : handler.answer(ex.getRequestURI().getPath(), ex.getRequestURI().getQuery());
      ex.getResponseHeaders().add(a.header(), a.value());
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    running.add(() -> server.stop(0));
    return server;
  }

  private static List<Tuple> findings(JsonNode report) {
    List<Tuple> out = new ArrayList<>();
    report.get("findings").forEach(f -> out.add(tuple(f.get("check").asText(), f.get("severity").asText(),
        f.get("subject").asText())));
    return out;
  }

  private static String evidence(JsonNode report, String check) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("check").asText().equals(check)) {
        return f.get("evidence").asText();
      }
    }
    throw new AssertionError("no finding " + check);
  }
}
