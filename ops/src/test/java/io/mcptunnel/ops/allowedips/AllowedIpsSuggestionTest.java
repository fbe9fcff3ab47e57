package io.mcptunnel.ops.allowedips;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcptunnel.egress.HostResolver;
import io.mcptunnel.proxy.config.ProxyConfigParser;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedIpsSuggestionTest {
  @TempDir
  Path dir;

  @Test
  void eachHostIsResolvedOnceAndHazardsStayOutUnlessAlreadyAllowed() throws Exception {
    Path file = Files.writeString(dir.resolve("c.yaml"), """
        listen_addr: ":8080"
        tls: {cert_file: /x/tls.crt, key_file: /x/tls.key}
        routes:
          a.t.example: http://mcp.internal:9000
          b.t.example: http://mcp.internal:9001
          c.t.example: http://10.0.0.9:9000
          d.t.example: http://gone.internal:9000
        """);
    List<String> asked = new java.util.ArrayList<>();
    HostResolver resolver = h -> {
      asked.add(h);
      return h.equals("mcp.internal")
          ? List.of(InetAddress.getByName("10.0.0.8"), InetAddress.getByName("127.0.0.1"))
          : List.of();
    };
    AllowedIpsSuggestion s = AllowedIpsSuggestion.compute(ProxyConfigParser.parse(file), resolver);
    assertThat(asked).containsExactly("mcp.internal", "gone.internal");
    assertThat(s.suggested()).hasToString("[10.0.0.8/31]");
    assertThat(s.suggestedCount()).isEqualTo(2);
    assertThat(s.anyUnresolved()).isTrue();
    assertThat(s.routes().get(0).notes()).singleElement().satisfies(n -> {
      assertThat(n.kind()).isEqualTo(AllowedIpsSuggestion.Kind.HAZARD);
      assertThat(n.hazard()).isEqualTo("loopback address");
      assertThat(n.included()).isFalse();
    });
    assertThat(s.currentCount()).isEqualTo(17891328);
  }
}
