package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyCheckCommandTest {
  @TempDir
  Path dir;

  ProxyFiles files;

  @BeforeEach
  void pki() {
    files = new ProxyFiles(dir);
  }

  @Test
  void validConfigPrintsOkAndTheEffectiveConfig() {
    Path config = files.config(":8080", "127.0.0.1:8081", "");
    CliRun run = CliRun.of("proxy", "check", "--config", config.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("config OK: " + config)
        .contains("listen_addr: \":8080\"")
        .contains("echo: http://10.0.0.5:9000")
        .contains("allowed_ips: [10.0.0.5/32]")
        .contains("key_file: " + files.key)
        .doesNotContain("PRIVATE KEY");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void defaultAllowListIsAWarningNotAnError() {
    Path config = files.write("default.yaml", """
        listen_addr: ":8080"
        tls: {cert_file: %s, key_file: %s}
        routes: {echo.mcp.test: "http://10.0.0.5:9000"}
        """.formatted(files.cert, files.key));
    CliRun run = CliRun.of("proxy", "check", "--config", config.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.err()).startsWith("warning:").contains("restrict allowed_ips");
  }

  @Test
  void disabledValidationIsWarned() {
    Path config = files.write("open.yaml", """
        listen_addr: ":8080"
        tls: {cert_file: %s, key_file: %s}
        routes: {echo.mcp.test: "http://10.0.0.5:9000"}
        upstream: {disable_ip_validation: true}
        """.formatted(files.cert, files.key));
    CliRun run = CliRun.of("proxy", "check", "--config", config.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.err()).startsWith("warning:").contains("disable_ip_validation");
  }

  @Test
  void typoInAFieldNameIsRefusedWithoutAStackTrace() {
    Path config = files.write("typo.yaml", """
        listen_adr: ":8080"
        tls: {cert_file: %s, key_file: %s}
        routes: {echo.mcp.test: "http://10.0.0.5:9000"}
        """.formatted(files.cert, files.key));
    CliRun run = CliRun.of("proxy", "check", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: unknown field \"listen_adr\"")
        .doesNotContain("at io.")
        .doesNotContain("Exception");
    assertThat(run.out()).doesNotContain("config OK");
  }

  @Test
  void keyPathThatIsADirectoryNamesThePath() throws Exception {
    Path keyDir = Files.createDirectory(dir.resolve("keydir"));
    Path config = files.write("keydir.yaml", """
        listen_addr: ":8080"
        tls: {cert_file: %s, key_file: %s}
        routes: {echo.mcp.test: "http://10.0.0.5:9000"}
        upstream: {allowed_ips: [10.0.0.5]}
        """.formatted(files.cert, keyDir));
    CliRun run = CliRun.of("proxy", "check", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("mcptunnel: ").contains(keyDir.toString()).doesNotContain("at io.");
  }

  @Test
  void mismatchedKeyIsRefused() throws Exception {
    ProxyFiles other = new ProxyFiles(Files.createDirectory(dir.resolve("other")));
    Path config = files.write("mismatch.yaml", """
        listen_addr: ":8080"
        tls: {cert_file: %s, key_file: %s}
        routes: {echo.mcp.test: "http://10.0.0.5:9000"}
        upstream: {allowed_ips: [10.0.0.5]}
        """.formatted(files.cert, other.key));
    CliRun run = CliRun.of("proxy", "check", "--config", config.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("does not match");
  }
}
