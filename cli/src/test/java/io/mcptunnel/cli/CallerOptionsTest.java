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
}
