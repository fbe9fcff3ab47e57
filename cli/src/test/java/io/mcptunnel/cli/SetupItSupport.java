package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import io.mcptunnel.setup.OutputKeys;
import io.mcptunnel.testing.TestOidcIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real control plane on loopback (embedded database) for the {@code mcptunnel setup} tests, each
 * test with its own organization; the command authenticates by exchanging a JWT from a loopback
 * OIDC issuer, exactly as a workload would. Every run is checked to print no secret.
 */
abstract class SetupItSupport {
  static final String SUBJECT = "system:serviceaccount:tunnels:setup";

  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  static TestOidcIssuer idp;
  static ControlPlaneFixture cp;

  ControlPlaneFixture.Tenant tenant;
  Map<String, String> env;
  String identityToken;

  @BeforeAll
  static void startControlPlane() {
    idp = TestOidcIssuer.start(Clock.systemUTC());
    cp = new ControlPlaneFixture(shared.resolve("cp"), null);
  }

  @AfterAll
  static void stop() {
    cp.close();
    idp.close();
  }

  @BeforeEach
  void onboard() throws Exception {
    tenant = cp.onboard(idp, SUBJECT);
    identityToken = idp.token(SUBJECT, ControlPlaneFixture.AUDIENCE).sign(JWSAlgorithm.ES256);
    env = new HashMap<>();
    env.put("API_URL", cp.base.toString());
    env.put("ANTHROPIC_FEDERATION_RULE_ID", tenant.rule());
    env.put("ANTHROPIC_ORGANIZATION_ID", tenant.organization());
    env.put("ANTHROPIC_IDENTITY_TOKEN", identityToken);
    SetupCommand.environment = env::get;
  }

  @AfterEach
  void restoreEnvironment() {
    SetupCommand.environment = System::getenv;
    SetupRenewCertCommand.clock = Clock.systemUTC();
  }

  CliRun setup(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "setup";
    System.arraycopy(args, 0, full, 1, args.length);
    CliRun run = CliRun.of(full);
    assertNoSecrets(run);
    return run;
  }

  /** Neither stream ever carries the token, a private key or the identity token. */
  void assertNoSecrets(CliRun run) {
    String both = run.out() + run.err();
    assertThat(both).doesNotContain(identityToken);
    for (String key : List.of(OutputKeys.TUNNEL_TOKEN, OutputKeys.CA_KEY, OutputKeys.TLS_KEY)) {
      Path file = dir.resolve("out").resolve(key);
      if (Files.exists(file)) {
        String value = read(file);
        assertThat(both).doesNotContain(value.trim());
        value.lines().filter(l -> l.length() > 20 && !l.startsWith("-----"))
            .forEach(line -> assertThat(both).doesNotContain(line));
      }
    }
  }

  String out() {
    return "dir:" + dir.resolve("out");
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Map<String, String> files() throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (var list = Files.list(dir.resolve("out"))) {
      for (Path p : (Iterable<Path>) list::iterator) {
        m.put(p.getFileName().toString(), read(p));
      }
    }
    return m;
  }

  List<JsonNode> certificates(String tunnelId) {
    List<JsonNode> list = new ArrayList<>();
    cp.api("GET", "/v1/tunnels/" + tunnelId + "/certificates", tenant, null).get("data").forEach(list::add);
    return list;
  }

  List<JsonNode> active(String tunnelId) {
    return certificates(tunnelId).stream().filter(c -> c.get("archived_at").isNull()).toList();
  }

  String reveal(String tunnelId) {
    return cp.api("POST", "/v1/tunnels/" + tunnelId + "/reveal_token", tenant, null).get("tunnel_token").asText();
  }

  int tunnelCount() {
    return cp.api("GET", "/v1/tunnels?limit=1000", tenant, null).get("data").size();
  }
}
