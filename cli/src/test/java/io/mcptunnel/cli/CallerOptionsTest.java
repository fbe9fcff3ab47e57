package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caller flags are checked before anything starts; every error names the flag and never a secret. */
class CallerOptionsTest {
  @TempDir Path dir;
  Path ca;
  Path key;
  Map<String, String> env = Map.of();

  @BeforeEach
  void files() throws Exception {
    ca = TestPki.create("tunnel").writeCa(dir.resolve("ca.pem"));
    key = Files.writeString(dir.resolve("caller.key"), "ck_secret_value_0123456789");
    CallerOptions.environment = name -> env.get(name);
  }

  @AfterEach
  void restore() {
    CallerOptions.environment = System::getenv;
  }

  CliRun gateway(String... extra) {
    String[] base = {"caller", "gateway", "--edge", "edge.example:7845", "--tunnel", "t1.example=" + ca};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return CliRun.of(all);
  }

  @Test
  void aNonLoopbackListenAddressIsRefusedUnlessAllowed() {
    CliRun r = gateway("--caller-key-file", key.toString(), "--listen", "0.0.0.0:0");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("--listen 0.0.0.0:0: not a loopback address").contains("--allow-remote-clients");
  }

  @Test
  void credentialsAreNeededOnceAndNeverEchoed() {
    assertThat(gateway().err()).contains("no caller credentials: set MCPTUNNEL_CALLER_KEY");
    env = Map.of("MCPTUNNEL_CALLER_KEY", "ck_from_env_value");
    CliRun twice = gateway("--caller-key-file", key.toString());
    assertThat(twice.err()).contains("the caller key is given twice");
    assertThat(twice.out() + twice.err()).doesNotContain("ck_secret_value").doesNotContain("ck_from_env_value");
  }

  @Test
  void tunnelsEdgesAndClientCertificatesAreChecked() throws Exception {
    assertThat(CliRun.of("caller", "gateway", "--edge", "edge.example:7845", "--caller-key-file", key.toString(),
        "--tunnel", "t1.example").err()).contains("--tunnel t1.example: expected DOMAIN=CA_FILE");
    assertThat(CliRun.of("caller", "gateway", "--edge", "edge.example:7845", "--caller-key-file", key.toString(),
        "--tunnel", "t1.example=" + dir.resolve("missing.pem")).err()).contains("cannot read");
    assertThat(CliRun.of("caller", "gateway", "--edge", "edge.example", "--caller-key-file", key.toString(),
        "--tunnel", "t1.example=" + ca).err()).contains("--edge edge.example:").contains("no port");
    assertThat(gateway("--client-cert", ca.toString()).err())
        .contains("a client certificate needs its key");
    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
    assertThat(CliRun.of("caller", "gateway", "--edge", "edge.example:7845", "--caller-key-file", key.toString(),
        "--tunnel", "t1.example=" + notPem).err()).contains("t1.example").doesNotContain("\tat ");
  }

  static final String CREDENTIAL = "mcpti1.icl_000000000000000000000001.c2VjcmV0LXNlY3JldC1zZWNyZXQ";

  /** `caller gateway` with the edge and key set and the given tunnel CA source flags. */
  CliRun gatewayWithCas(String... casFlags) {
    String[] base = {"caller", "gateway", "--edge", "edge.example:7845", "--caller-key-file", key.toString()};
    String[] all = new String[base.length + casFlags.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(casFlags, 0, all, base.length, casFlags.length);
    return CliRun.of(all);
  }

  @Test
  void tunnelCasComeFromExactlyOneSource() throws Exception {
    Path credential = Files.writeString(dir.resolve("cp.credential"), CREDENTIAL + "\n");
    Path empty = Files.writeString(dir.resolve("empty.credential"), "  \n");
    String cred = credential.toString();
    String[][] table = {
        {"", "no source of tunnel CA certificates: pass --tunnel DOMAIN=CA_FILE"},
        {"--tunnel t1.example=" + ca + " --control-plane-url https://cp.example --control-plane-credential-file "
            + cred, "--tunnel and --control-plane-url are alternatives"},
        {"--control-plane-url https://cp.example", "--control-plane-url needs --control-plane-credential-file FILE"},
        {"--tunnel t1.example=" + ca + " --control-plane-credential-file " + cred,
            "--control-plane-credential-file and --control-plane-ca-file need --control-plane-url"},
        {"--control-plane-url https://cp.example --control-plane-credential-file " + empty,
            "--control-plane-credential-file " + empty + " is empty"},
        {"--control-plane-url https://cp.example --control-plane-credential-file " + dir.resolve("missing"),
            "--control-plane-credential-file " + dir.resolve("missing") + ": cannot read"},
        {"--control-plane-url http://cp.example --control-plane-credential-file " + cred,
            "--control-plane-url http://cp.example: http would send the caller's control plane credential in clear"},
        {"--control-plane-url https://cp.example --control-plane-credential-file " + cred
            + " --control-plane-ca-file " + dir.resolve("nope.pem"), "--control-plane-ca-file " + dir.resolve("nope.pem")},
    };
    for (String[] row : table) {
      CliRun r = gatewayWithCas(row[0].isEmpty() ? new String[0] : row[0].split(" "));
      assertThat(r.exit()).as(row[0]).isEqualTo(1);
      assertThat(r.err()).as(row[0]).contains(row[1]).doesNotContain("c2VjcmV0").doesNotContain("\tat ");
      assertThat(r.out()).doesNotContain("c2VjcmV0");
    }
  }

  @Test
  void theControlPlaneIsTheSourceWhenGiven() throws Exception {
    Path credential = Files.writeString(dir.resolve("cp.credential"), CREDENTIAL + "\n");
    CallerGatewayCommand command = new CallerGatewayCommand();
    new picocli.CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--edge", "edge.example:7845", "--caller-key-file", key.toString(),
        "--control-plane-url", "http://127.0.0.1:1", "--control-plane-credential-file", credential.toString(),
        "--control-plane-ca-file", ca.toString());
    assertThat(command.caller.settings().cas()).isInstanceOf(io.mcptunnel.caller.ControlPlaneTunnelCas.class)
        .hasToString("ControlPlaneTunnelCas[http://127.0.0.1:1]");
  }
}
