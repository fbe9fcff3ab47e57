package io.mcptunnel.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class ForwardingHeadersTest {

  @Test
  void requestKeepsEndToEndHeadersAndDropsHopByHopOnes() {
    HttpRequest in = new DefaultHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.POST, "/mcp?x=1");
    in.headers().set("Host", "echo.t.example").set("Authorization", "Bearer t").set("Mcp-Session-Id", "s")
        .set("Connection", "keep-alive, X-Hop").set("X-Hop", "1").set("Keep-Alive", "timeout=5")
        .set("Proxy-Authorization", "Basic x").set("TE", "trailers").set("Upgrade", "h2c")
        .set("Content-Length", "12").set("X-Forwarded-Host", "spoofed");
    HttpRequest out = ForwardingHeaders.toUpstream(in, "rid");
    assertThat(out.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(out.uri()).isEqualTo("/mcp?x=1");
    assertThat(out.headers().get("Host")).isEqualTo("echo.t.example");
    assertThat(out.headers().get("Authorization")).isEqualTo("Bearer t");
    assertThat(out.headers().get("Mcp-Session-Id")).isEqualTo("s");
    assertThat(out.headers().get("Content-Length")).isEqualTo("12");
    assertThat(out.headers().get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(out.headers().getAll("X-Forwarded-Host")).containsExactly("echo.t.example");
    assertThat(out.headers().get("X-Request-Id")).isEqualTo("rid");
    for (String gone : new String[] {"Connection", "X-Hop", "Keep-Alive", "Proxy-Authorization", "TE", "Upgrade"}) {
      assertThat(out.headers().contains(gone)).as(gone).isFalse();
    }
  }

  @Test
  void chunkedRequestStaysChunkedWithoutAContentLength() {
    HttpRequest in = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
    in.headers().set("Transfer-Encoding", "chunked").set("Content-Length", "3");
    HttpRequest out = ForwardingHeaders.toUpstream(in, "r");
    assertThat(out.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(out.headers().contains("Content-Length")).isFalse();
  }
}
