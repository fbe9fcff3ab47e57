package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesSecretOutputTest {
  static KubernetesClient client;

  @Test
  void createsOneOpaqueLabelledSecretWhoseKeysAreTheFileNames() {
    KubernetesSecretOutput output = new KubernetesSecretOutput(client, "tunnels", "mcp-tunnel");
    assertThat(output.read()).isEmpty();

    output.write(DirectoryOutputTest.sample());

    Secret secret = client.secrets().inNamespace("tunnels").withName("mcp-tunnel").get();
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "mcptunnel");
    assertThat(secret.getData().keySet()).containsExactlyInAnyOrderElementsOf(OutputKeys.ALL);
    assertThat(new String(Base64.getDecoder().decode(secret.getData().get("tls.key")), StandardCharsets.UTF_8))
        .isEqualTo("value of tls.key\n");
    assertThat(new KubernetesSecretOutput(client, "tunnels", "mcp-tunnel").read())
        .isEqualTo(DirectoryOutputTest.sample());
  }

  @Test
  void anUpdateReplacesTheDataAndKeepsNothingStale() {
    KubernetesSecretOutput first = new KubernetesSecretOutput(client, "ns2", "s");
    Map<String, String> entries = DirectoryOutputTest.sample();
    first.write(entries);
    // Something else put a key in the Secret: setup's update removes it.
    Secret edited = client.secrets().inNamespace("ns2").withName("s").get();
    edited.getData().put("stale", Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.UTF_8)));
    client.secrets().inNamespace("ns2").resource(edited).update();

    KubernetesSecretOutput again = new KubernetesSecretOutput(client, "ns2", "s");
    again.read();
    entries.put(OutputKeys.TOKEN_VERSION, "2");
    again.write(entries);

    Secret secret = client.secrets().inNamespace("ns2").withName("s").get();
    assertThat(secret.getData()).doesNotContainKey("stale").hasSize(8);
    assertThat(again.read()).containsEntry(OutputKeys.TOKEN_VERSION, "2");
  }
}
