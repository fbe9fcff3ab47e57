package io.mcptunnel.ops.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class OAuthCheckTest {
  static final String PUBLIC = "https://echo.t1.example/mcp";
  static final String META = "https://echo.t1.example/.well-known/oauth-protected-resource/mcp";
  static final String BEARER = "Bearer resource_metadata=\"" + META + "\"";

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of(OAuthProbeResult.answered(401, BEARER).withMetadata(META, null, PUBLIC), null, null, null),
        Arguments.of(OAuthProbeResult.answered(200, null), "oauth-not-required", Severity.HIGH,
            "an unauthenticated initialize was answered 200, not 401"),
        Arguments.of(OAuthProbeResult.answered(401, null), "oauth-no-resource-metadata", Severity.MEDIUM,
            "401 without WWW-Authenticate"),
        Arguments.of(OAuthProbeResult.answered(401, "Basic realm=\"x\""), "oauth-no-resource-metadata", Severity.MEDIUM,
            "401 with WWW-Authenticate: Basic realm=\"x\" (no Bearer resource_metadata)"),
        Arguments.of(OAuthProbeResult.answered(401, BEARER).withMetadata(META, "GET answered 404", null),
            "oauth-metadata-invalid", Severity.MEDIUM, "resource metadata " + META + ": GET answered 404"),
        Arguments.of(OAuthProbeResult.answered(401, BEARER).withMetadata(META, null, "https://localhost:9000/mcp"),
            "oauth-resource-mismatch", Severity.MEDIUM,
            "resource metadata names resource https://localhost:9000/mcp, expected the public URL " + PUBLIC),
        Arguments.of(OAuthProbeResult.unreachable("ConnectException: Connection refused"), "upstream-unreachable",
            Severity.MEDIUM, "could not probe: ConnectException: Connection refused"),
        Arguments.of(OAuthProbeResult.refused("IP validation failed: 169.254.169.254 is not in allowed_ips"),
            "upstream-refused-by-egress", Severity.MEDIUM,
            "IP validation failed: 169.254.169.254 is not in allowed_ips: the proxy refuses this upstream, so the route answers 502"));
  }

  @ParameterizedTest
  @MethodSource("outcomes")
  void eachProbeOutcomeHasItsFinding(OAuthProbeResult probe, String check, Severity severity, String evidence) {
    List<Finding> found = OAuthCheck.findings("echo", probe, PUBLIC);
    if (check == null) {
      assertThat(found).isEmpty();
      return;
    }
    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.check()).isEqualTo(check);
      assertThat(f.severity()).isEqualTo(severity);
      assertThat(f.subject()).isEqualTo("route echo");
      assertThat(f.evidence()).isEqualTo(evidence);
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      Bearer resource_metadata="https://a.example/.well-known/oauth-protected-resource"          | https://a.example/.well-known/oauth-protected-resource
      Bearer error="invalid_token", resource_metadata="https://a.example/m", scope="x"          | https://a.example/m
      bearer resource_metadata=https://a.example/m                                               | https://a.example/m
      Basic resource_metadata="https://a.example/m"                                              | -
      Bearer realm="x"                                                                           | -
      -                                                                                          | -
      """)
  void resourceMetadataIsReadFromABearerChallengeOnly(String header, String expected) {
    assertThat(OAuthCheck.resourceMetadata(header)).isEqualTo(Optional.ofNullable(expected));
  }

  @ParameterizedTest
  @CsvSource({
      "https://echo.t1.example/mcp, https://echo.t1.example/.well-known/oauth-protected-resource/mcp",
      "https://echo.t1.example/, https://echo.t1.example/.well-known/oauth-protected-resource",
  })
  void metadataUrlInsertsTheWellKnownPathBeforeTheResourcePath(String resource, String expected) {
    assertThat(OAuthCheck.metadataUrlFor(resource)).isEqualTo(expected);
  }
}
