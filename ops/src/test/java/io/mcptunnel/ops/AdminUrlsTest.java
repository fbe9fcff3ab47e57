package io.mcptunnel.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminUrlsTest {
  @ParameterizedTest
  @CsvSource({
      "https://cp.example:7850, true",
      "http://127.0.0.1:7850,   true",
      "http://localhost:7850,   true",
      "http://[::1]:7850,       true",
      "http://cp.example:7850,  false",
      "http://10.0.0.5:7850,    false",
      "ftp://cp.example,        false",
      "cp.example:7850,         false",
  })
  void theAdminTokenTravelsOnlyOverHttpsOrToLoopback(String url, boolean allowed) {
    String refusal = AdminUrls.refusal(URI.create(url), "--admin-url");
    if (allowed) {
      assertThat(refusal).isNull();
    } else {
      assertThat(refusal).isEqualTo("--admin-url " + url
          + ": expected https://HOST[:PORT] (http only to loopback: the admin token travels in it)");
    }
  }
}
