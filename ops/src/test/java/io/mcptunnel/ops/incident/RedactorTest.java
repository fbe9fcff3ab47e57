package io.mcptunnel.ops.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.pki.KeyPairs;
import io.mcptunnel.pki.PemFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Authorization: Bearer abc.DEF-123_~+/=  | Authorization: Bearer [REDACTED]",
      "authorization=bearer  sk-live-1          | authorization=bearer [REDACTED]",
      "token mcpt1.tnl_1.tok_2.c2VjcmV0LXNlY3JldA ok | token [REDACTED] ok",
      "jwt eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.sig-_x end | jwt [REDACTED] end",
      "{\"access_token\":\"at_123\",\"n\":1}      | {\"access_token\":\"[REDACTED]\",\"n\":1}",
      "{\"client_secret\": \"s3cr3t\"}            | {\"client_secret\": \"[REDACTED]\"}",
      "grant=x&assertion=abc.def&y=1              | grant=x&assertion=[REDACTED]&y=1",
      "token_type Bearer, expires in 3600         | token_type Bearer, expires in 3600",
      "plain line with tnl_1 and tok_2            | plain line with tnl_1 and tok_2"})
  void removesSecretsFromOneLine(String line, String expected) {
    assertThat(new Redactor().redact(line.strip())).isEqualTo(expected.strip());
  }

  @Test
  void aPrivateKeyOnOneLineIsRemoved() {
    // A real key made here, its lines joined the way a log line escapes them.
    String escaped = PemFiles.toPem(KeyPairs.ecP256().getPrivate()).strip().replace("\n", "\\n");
    assertThat(new Redactor().redact("key=" + escaped + " tail")).isEqualTo("key=[REDACTED] tail");
  }

  @Test
  void aMultiLinePrivateKeyBlockIsRemovedWhole() {
    Redactor r = new Redactor();
    List<String> lines = PemFiles.toPem(KeyPairs.ecP256().getPrivate()).strip().lines().toList();
    assertThat(r.redact("2026-05-01T10:00:00Z dump: " + lines.get(0)))
        .isEqualTo("2026-05-01T10:00:00Z dump: [REDACTED]");
    for (String body : lines.subList(1, lines.size() - 1)) {
      assertThat(r.redact(body)).isEqualTo("[REDACTED]");
    }
    assertThat(r.redact(lines.get(lines.size() - 1) + " after")).isEqualTo("[REDACTED] after");
    assertThat(r.redact("-----BEGIN CERTIFICATE-----")).isEqualTo("-----BEGIN CERTIFICATE-----");
    assertThat(r.redactions()).isEqualTo(lines.size());
  }
}
