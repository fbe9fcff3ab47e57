package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code mcptunnel sample-server}: what it refuses before it serves (one line each, exit 2 or 1). */
class SampleServerCommandTest {
  private static final String ISSUER = "--oauth-issuer=https://as.example";
  private static final String JWKS = "--oauth-jwks-url=https://as.example/jwks";
  private static final String RESOURCE = "--resource=https://echo.abcd1234.tunnel.example/mcp";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      ISSUER + "|OAuth mode needs --oauth-issuer, --oauth-jwks-url and --resource; missing --oauth-jwks-url",
      RESOURCE + "|OAuth mode needs --oauth-issuer, --oauth-jwks-url and --resource; missing --oauth-issuer",
      "--scope=mcp:tools|OAuth mode needs --oauth-issuer, --oauth-jwks-url and --resource; missing --oauth-issuer"})
  void oauthNeedsIssuerKeysAndResource(String option, String message) {
    CliRun run = CliRun.of("sample-server", option);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines().findFirst()).hasValue(message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://as.example|ftp://x/mcp|mcp:tools"
          + "|--resource: ftp://x/mcp (expected: an absolute http or https URL without fragment)",
      "https://as.example|https://x/mcp?a=b|mcp:tools|--resource: https://x/mcp?a=b (expected: no query part, RFC 8707 §2)",
      "issuer|https://x/mcp|mcp:tools|--oauth-issuer: issuer (expected: an absolute http or https URL without fragment)",
      "https://as.example|https://x/mcp|a\"b|--scope: a\"b (expected: a scope token, RFC 6749 §3.3)"})
  void badOauthValuesNameTheOption(String issuer, String resource, String scope, String message) {
    CliRun run = CliRun.of("sample-server", "--oauth-issuer=" + issuer, JWKS, "--resource=" + resource,
        "--scope=" + scope);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines().findFirst()).hasValue(message);
  }

  @Test
  void badListenAddressIsAUsageError() {
    CliRun run = CliRun.of("sample-server", "--listen", "nope");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().lines().findFirst())
        .hasValue("--listen nope: \"nope\" has no port (expected host:port, e.g. \":8080\" or \"127.0.0.1:8080\")");
  }

  @Test
  void aTakenPortIsOneLineAndExit1() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      CliRun run = CliRun.of("sample-server", "--listen", listen);
      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err().lines().toList()).singleElement().asString()
          .startsWith("mcptunnel: --listen " + listen + ": cannot listen (");
    }
  }
}
