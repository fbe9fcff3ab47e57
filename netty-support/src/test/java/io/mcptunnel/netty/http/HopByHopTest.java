package io.mcptunnel.netty.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class HopByHopTest {

  @Test
  void closeDelimitedResponseIsReframedAsChunkedForHttp11Callers() {
    HttpResponse in = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);
    in.headers().set("Content-Type", "text/event-stream").set("Connection", "close");
    assertThat(HopByHop.closeDelimited(in, false)).isTrue();
    HttpResponse out = HopByHop.toDownstream(in, false, HttpVersion.HTTP_1_1, true);
    assertThat(out.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    assertThat(out.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(out.headers().contains("Connection")).isFalse();
  }

  @Test
  void redirectsAndHeadResponsesKeepTheirHeaders() {
    HttpResponse in = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND);
    in.headers().set("Location", "https://idp.example/authorize").set("Content-Length", "0");
    HttpResponse out = HopByHop.toDownstream(in, false, HttpVersion.HTTP_1_1, false);
    assertThat(out.status()).isEqualTo(HttpResponseStatus.FOUND);
    assertThat(out.headers().get("Location")).isEqualTo("https://idp.example/authorize");
    assertThat(out.headers().get("Connection")).isEqualTo("close");
    assertThat(out.headers().get("Content-Length")).isEqualTo("0");
  }
}
