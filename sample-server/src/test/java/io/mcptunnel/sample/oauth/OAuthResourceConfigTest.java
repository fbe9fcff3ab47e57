package io.mcptunnel.sample.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class OAuthResourceConfigTest {
  static OAuthResourceConfig.Builder valid() {
    return OAuthResourceConfig.builder().resource("https://echo.abcd1234.tunnel.example/mcp")
        .issuer("https://as.example").jwksUrl("https://as.example/jwks");
  }

  @Test
  void defaultsToScopeMcpToolsAndAsymmetricAlgorithms() {
    OAuthResourceConfig c = valid().build();
    assertThat(c.requiredScopes()).containsExactly("mcp:tools");
    assertThat(c.algorithms()).contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256).doesNotContain(JWSAlgorithm.HS256);
    assertThat(c.clockSkew()).isEqualTo(Duration.ofSeconds(30));
  }

  @ParameterizedTest
  @CsvSource({
      "https://echo.abcd1234.tunnel.example/mcp, https://echo.abcd1234.tunnel.example/.well-known/oauth-protected-resource/mcp, /.well-known/oauth-protected-resource/mcp",
      "https://echo.example, https://echo.example/.well-known/oauth-protected-resource, /.well-known/oauth-protected-resource",
      "https://echo.example/, https://echo.example/.well-known/oauth-protected-resource, /.well-known/oauth-protected-resource",
      "http://127.0.0.1:8443/a/mcp, http://127.0.0.1:8443/.well-known/oauth-protected-resource/a/mcp, /.well-known/oauth-protected-resource/a/mcp",
  })
  void metadataUrlPutsTheWellKnownSegmentBeforeThePath(String resource, String url, String path) {
    OAuthResourceConfig c = valid().resource(resource).build();
    assertThat(c.metadataUrl()).hasToString(url);
    assertThat(c.metadataPath()).isEqualTo(path);
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        bad(b -> b.resource(null), "resource: missing (expected: an absolute http or https URL without fragment)"),
        bad(b -> b.resource("/mcp"), "resource: /mcp (expected: an absolute http or https URL without fragment)"),
        bad(b -> b.resource("ftp://x/mcp"), "resource: ftp://x/mcp (expected: an absolute http or https URL without fragment)"),
        bad(b -> b.resource("https://x/mcp#f"), "resource: https://x/mcp#f (expected: an absolute http or https URL without fragment)"),
        bad(b -> b.resource("https://x/mcp?a=b"), "resource: https://x/mcp?a=b (expected: no query part, RFC 8707 §2)"),
        bad(b -> b.jwksUrl(" "), "jwks_url: missing (expected: an absolute http or https URL without fragment)"),
        bad(b -> b.issuer("not a url"), "issuer: not a url (expected: an absolute http or https URL without fragment)"),
        bad(b -> b.requiredScope("a b"), "scope: a b (expected: a scope token, RFC 6749 §3.3)"),
        bad(b -> b.algorithms(Set.of(JWSAlgorithm.HS256)),
            "algorithms: HS256 (expected: an asymmetric JWS algorithm such as RS256, PS256, ES256, EdDSA)"),
        bad(b -> b.algorithms(Set.of()), "algorithms: none (expected: at least one asymmetric JWS algorithm)"),
        bad(b -> b.clockSkew(Duration.ofMinutes(6)), "clock_skew: PT6M (expected: 0 to 5 minutes)"));
  }

  private static Arguments bad(UnaryOperator<OAuthResourceConfig.Builder> change, String message) {
    return Arguments.of(change, message);
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void refusesBadSettingsNamingTheField(UnaryOperator<OAuthResourceConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(valid()).build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void needsAnIssuer() {
    assertThatThrownBy(() -> OAuthResourceConfig.builder().resource("https://x/mcp").jwksUrl("https://x/jwks").build())
        .hasMessage("issuer: none (expected: at least one authorization server URL)");
  }

}
