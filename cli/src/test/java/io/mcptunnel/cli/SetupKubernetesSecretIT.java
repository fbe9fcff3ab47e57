package io.mcptunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mcptunnel.setup.ApiEndpoint;
import io.mcptunnel.setup.FederationCredentials;
import io.mcptunnel.setup.KubernetesSecretOutput;
import io.mcptunnel.setup.OutputKeys;
import io.mcptunnel.setup.SetupInit;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s-secret:} output through the engine (as {@code quickstart} and the Helm hook use it)
 * against fabric8's mock API server and a real control plane.
 */
@EnableKubernetesMockClient(crud = true)
class SetupKubernetesSecretIT extends SetupItSupport {
  static KubernetesClient client;

  SetupInit.Result init(String tokenVersion, List<String> lines) {
    var options = new SetupInit.Options(new ApiEndpoint(cp.base, null),
        FederationCredentials.fromEnvironment(env::get),
        new KubernetesSecretOutput(client, "tunnels", "mcp-tunnel"), null, null, tokenVersion);
    return new SetupInit(Clock.systemUTC(), lines::add).run(options);
  }

  Map<String, String> secretData() {
    Secret secret = client.secrets().inNamespace("tunnels").withName("mcp-tunnel").get();
    assertThat(secret.getType()).isEqualTo("Opaque");
    assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "mcptunnel");
    Map<String, String> data = new TreeMap<>();
    secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return data;
  }

  @Test
  void writesOneSecretWhoseKeysAreTheFileNamesAndAReRunUpdatesIt() {
    List<String> lines = new ArrayList<>();
    SetupInit.Result first = init("1", lines);

    Map<String, String> data = secretData();
    assertThat(data.keySet()).containsExactlyInAnyOrderElementsOf(OutputKeys.ALL);
    assertThat(data.get("tunnel-id")).isEqualTo(first.tunnelId());
    assertThat(data.get("tunnel-token")).isEqualTo(reveal(first.tunnelId()));
    assertThat(lines).last().isEqualTo("wrote k8s-secret:tunnels/mcp-tunnel (8 files)");
    assertThat(first.tunnelCreated()).isTrue();

    SetupInit.Result second = init("2", lines);

    assertThat(second.tunnelId()).isEqualTo(first.tunnelId());
    assertThat(second.caCreated()).isFalse();
    assertThat(second.tokenRotated()).isTrue();
    Map<String, String> updated = secretData();
    assertThat(updated.get("token-version")).isEqualTo("2");
    assertThat(updated.get("tunnel-token")).isNotEqualTo(data.get("tunnel-token")).isEqualTo(reveal(first.tunnelId()));
    assertThat(updated.get("ca.key")).isEqualTo(data.get("ca.key"));
    assertThat(tunnelCount()).isEqualTo(1);
    assertThat(String.join("\n", lines)).doesNotContain(updated.get("tunnel-token"), data.get("tunnel-token"));
  }

  /** The command builds its own client from the usual configuration; here system properties. */
  @Test
  void theCommandWritesToTheClientConfigsDefaultNamespace() {
    Map<String, String> props = Map.of("kubernetes.master", client.getMasterUrl().toString(),
        "kubernetes.trust.certificates", "true", "kubernetes.auth.tryKubeConfig", "false",
        "kubernetes.auth.tryServiceAccount", "false", "kubernetes.namespace", "from-config");
    props.forEach(System::setProperty);
    try {
      CliRun run = setup("init", "--output", "k8s-secret:mcp-tunnel");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).endsWith("wrote k8s-secret:from-config/mcp-tunnel (8 files)\n");
      assertThat(client.secrets().inNamespace("from-config").withName("mcp-tunnel").get().getData().keySet())
          .containsExactlyInAnyOrderElementsOf(OutputKeys.ALL);
    } finally {
      props.keySet().forEach(System::clearProperty);
    }
  }
}
