package io.mcptunnel.sample.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The claim rules, one boundary per row; the clock skew is 30 s. */
class ClaimsCheckTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static final String RESOURCE = "https://echo.abcd1234.tunnel.example/mcp";
  static final OAuthResourceConfig CONFIG = OAuthResourceConfig.builder().resource(RESOURCE)
      .issuer("https://as.example").issuer("https://as2.example").jwksUrl("https://as.example/jwks").build();

  static JWTClaimsSet.Builder good() {
    return new JWTClaimsSet.Builder().issuer("https://as.example").subject("client-1").audience(RESOURCE)
        .expirationTime(Date.from(NOW.plusSeconds(60))).claim("scope", "mcp:tools");
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("valid", b -> b, null),
        row("second configured issuer", b -> b.issuer("https://as2.example"), null),
        row("another issuer", b -> b.issuer("https://evil.example"), TokenRejection.WRONG_ISSUER),
        row("issuer with a trailing slash", b -> b.issuer("https://as.example/"), TokenRejection.WRONG_ISSUER),
        row("no issuer", b -> b.issuer(null), TokenRejection.WRONG_ISSUER),
        row("no exp", b -> b.expirationTime(null), TokenRejection.MISSING_EXPIRY),
        row("expired within skew", b -> b.expirationTime(Date.from(NOW.minusSeconds(29))), null),
        row("expired at skew", b -> b.expirationTime(Date.from(NOW.minusSeconds(30))), TokenRejection.EXPIRED),
        row("expired long ago", b -> b.expirationTime(Date.from(NOW.minusSeconds(3600))), TokenRejection.EXPIRED),
        row("nbf within skew", b -> b.notBeforeTime(Date.from(NOW.plusSeconds(30))), null),
        row("nbf beyond skew", b -> b.notBeforeTime(Date.from(NOW.plusSeconds(31))), TokenRejection.NOT_YET_VALID),
        row("audience among several", b -> b.audience(List.of("https://other.example/mcp", RESOURCE)), null),
        row("another resource", b -> b.audience("https://other.abcd1234.tunnel.example/mcp"),
            TokenRejection.WRONG_AUDIENCE),
        row("resource with a trailing slash", b -> b.audience(RESOURCE + "/"), TokenRejection.WRONG_AUDIENCE),
        row("the origin only", b -> b.audience("https://echo.abcd1234.tunnel.example"), TokenRejection.WRONG_AUDIENCE),
        row("no audience", b -> b.audience((String) null), TokenRejection.WRONG_AUDIENCE),
        row("no subject", b -> b.subject(null), TokenRejection.MISSING_SUBJECT),
        row("blank subject", b -> b.subject(" "), TokenRejection.MISSING_SUBJECT));
  }

  private static Arguments row(String name, UnaryOperator<JWTClaimsSet.Builder> change, TokenRejection expected) {
    return Arguments.of(name, change, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(String name, UnaryOperator<JWTClaimsSet.Builder> change, TokenRejection expected) {
    assertThat(ClaimsCheck.check(change.apply(good()).build(), CONFIG, NOW).orElse(null)).isEqualTo(expected);
  }

  @Test
  void readsScopeStringsAndScpLists() {
    assertThat(ClaimsCheck.missingScopes(good().build(), CONFIG)).isEmpty();
    assertThat(ClaimsCheck.missingScopes(good().claim("scope", "profile  mcp:tools ").build(), CONFIG)).isEmpty();
    assertThat(ClaimsCheck.missingScopes(good().claim("scope", null).claim("scp", List.of("mcp:tools")).build(), CONFIG))
        .isEmpty();
    assertThat(ClaimsCheck.missingScopes(good().claim("scope", "mcp:tools:read").build(), CONFIG))
        .containsExactly("mcp:tools");
    assertThat(ClaimsCheck.missingScopes(good().claim("scope", null).build(), CONFIG)).containsExactly("mcp:tools");
  }
}
