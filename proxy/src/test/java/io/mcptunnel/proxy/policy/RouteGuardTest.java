package io.mcptunnel.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.proxy.config.RoutePolicy;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteGuardTest {
  static final RoutePolicy ALL = new RoutePolicy(Optional.of(Set.of("echo")), true,
      Optional.of(new RoutePolicy.RateLimit(1, 1)), OptionalLong.of(16));

  static HttpRequest request(String method, String... headers) {
    HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), "/mcp");
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  /** method | headers (name=value;...) | expected reason, or - when admitted */
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "PUT    | Content-Length=5          | body_not_inspected",
      "PATCH  | Transfer-Encoding=chunked | body_not_inspected",
      "DELETE | Content-Length=2          | body_not_inspected",
      "GET    | Content-Length=0          | -",
      "DELETE | -                         | -",
      "GET    | -                         | -",
  })
  void onlyPostMayCarryABodyPastTheToolFilter(String method, String headers, String reason) {
    RoutePolicy p = new RoutePolicy(ALL.allowedTools(), false, Optional.empty(), OptionalLong.empty());
    HttpRequest r = request(method);
    if (headers != null) {
      String[] kv = headers.split("=", 2);
      r.headers().add(kv[0], kv[1]);
    }
    Refusal refusal = new RouteGuard(p, () -> 0L).checkHead(r);
    assertThat(refusal == null ? null : refusal.reason()).isEqualTo(reason);
    if (refusal != null) {
      assertThat(refusal.status().code()).isEqualTo(405);
      assertThat(refusal.detail()).isEqualTo(method + " with a body: only POST may carry a body on a route with allowed_tools");
    }
  }

  @Test
  void unauthenticatedRequestsDoNotSpendTheRateBudget() {
    RouteGuard g = new RouteGuard(ALL, () -> 0L);
    assertThat(g.checkHead(request("POST")).reason()).isEqualTo(Refusal.UNAUTHORIZED);
    assertThat(g.checkHead(request("POST")).reason()).isEqualTo(Refusal.UNAUTHORIZED);
    assertThat(g.checkHead(request("POST", "Authorization", "Bearer t"))).isNull();
    Refusal limited = g.checkHead(request("POST", "Authorization", "Bearer t"));
    assertThat(limited.reason()).isEqualTo(Refusal.RATE_LIMITED);
    assertThat(limited.toResponse().headers().get("Retry-After")).isEqualTo("1");
  }

  /** headers (name=value;...) | expected reason, or - when admitted */
  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "Content-Length=16                                    | -",
      "Content-Length=17                                    | too_large",
      "Mcp-Method=tools/call;Mcp-Name=hello                 | tool_not_allowed",
      "Mcp-Method=tools/call;Mcp-Name=echo                  | -",
      "Content-Length=17;Mcp-Method=tools/call;Mcp-Name=hello | too_large",
  })
  void headChecks(String headers, String reason) {
    RoutePolicy p = new RoutePolicy(ALL.allowedTools(), false, Optional.empty(), ALL.maxRequestBytes());
    HttpRequest r = request("POST");
    for (String h : headers.split(";")) {
      String[] kv = h.split("=", 2);
      r.headers().add(kv[0], kv[1]);
    }
    Refusal refusal = new RouteGuard(p, () -> 0L).checkHead(r);
    assertThat(refusal == null ? null : refusal.reason()).isEqualTo(reason);
  }

  /** allowed_tools? | max? | method | framing | read whole? */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "true  | false | POST | length  | true",
      "true  | false | GET  | none    | false",
      "false | true  | POST | length  | false",
      "false | true  | POST | chunked | true",
      "false | false | POST | chunked | false",
  })
  void whichBodiesAreReadWhole(boolean tools, boolean max, String method, String framing, boolean whole) {
    RoutePolicy p = new RoutePolicy(tools ? Optional.of(Set.of("echo")) : Optional.empty(), false, Optional.empty(),
        max ? OptionalLong.of(10) : OptionalLong.empty());
    HttpRequest r = switch (framing) {
      case "length" -> request(method, "Content-Length", "5");
      case "chunked" -> request(method, "Transfer-Encoding", "chunked");
      default -> request(method);
    };
    assertThat(new RouteGuard(p, () -> 0L).readsBodyWhole(r)).isEqualTo(whole);
  }

  @Test
  void theSizeRefusalNamesTheLimitThatApplies() {
    assertThat(new RouteGuard(ALL, () -> 0L).tooLarge().detail())
        .isEqualTo("request body exceeds max_request_bytes (16 bytes)");
    RoutePolicy noMax = new RoutePolicy(ALL.allowedTools(), false, Optional.empty(), OptionalLong.empty());
    assertThat(new RouteGuard(noMax, () -> 0L).tooLarge().detail())
        .isEqualTo("request body exceeds the 4194304-byte limit on bodies inspected for allowed_tools");
  }
}
