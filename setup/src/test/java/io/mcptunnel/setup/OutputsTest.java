package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@EnableKubernetesMockClient(crud = true)
class OutputsTest {
  static KubernetesClient client;

  @ParameterizedTest
  @CsvSource({
      "dir:/var/lib/mcptunnel, dir:/var/lib/mcptunnel",
      "dir:relative/x, RELATIVE",
      "k8s-secret:mcp-tunnel, k8s-secret:NS/mcp-tunnel",
      "k8s-secret:tunnels/mcp-tunnel, k8s-secret:tunnels/mcp-tunnel"})
  void parses(String spec, String described) {
    String expected = described
        .replace("RELATIVE", "dir:" + Path.of("relative/x").toAbsolutePath())
        .replace("NS", client.getNamespace() == null ? "default" : client.getNamespace());
    assertThat(Outputs.parse(spec, () -> client).describe()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "dir:", "/tmp/x", "file:/x", "k8s-secret:", "k8s-secret:a/b/c",
      "k8s-secret:Upper", "k8s-secret:/name", "k8s-secret:ns/"})
  void refuses(String spec) {
    assertThatThrownBy(() -> Outputs.parse(spec, () -> client))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("expected dir:/path or k8s-secret:NAME or k8s-secret:NAMESPACE/NAME");
  }
}
