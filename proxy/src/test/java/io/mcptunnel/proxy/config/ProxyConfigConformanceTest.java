package io.mcptunnel.proxy.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.mcptunnel.testing.SharedFiles;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the shared table of configurations the proxy must refuse at startup. */
class ProxyConfigConformanceTest {
  static final String BASE = """
      listen_addr: ":8080"
      tunnel_domain: abcd1234.tunnel.example
      tls:
        cert_file: /data/tls.crt
        key_file: /data/tls.key
      routes:
        echo: http://10.0.0.5:9000
      """;
  private static final YAMLMapper YAML = new YAMLMapper();

  static Stream<Arguments> rows() {
    return SharedFiles.tsvRows("proxy-config-errors.tsv").stream()
        .map(r -> Arguments.of(r[0].replace("\\n", "\n"), r[1]));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("rows")
  void refusedWithTheExpectedPhrase(String snippet, String phrase) throws Exception {
    ObjectNode merged = (ObjectNode) YAML.readTree(BASE);
    merge(merged, YAML.readTree(snippet));
    String yaml = YAML.writeValueAsString(merged);

    assertThatThrownBy(() -> ProxyConfigParser.parse(yaml, "config.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(phrase);
  }

  @org.junit.jupiter.api.Test
  void theBaseItselfIsValid() {
    ProxyConfigParser.parse(BASE, "config.yaml");
  }

  static void merge(ObjectNode into, JsonNode over) {
    for (Map.Entry<String, JsonNode> e : over.properties()) {
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }
}
