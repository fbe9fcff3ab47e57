package io.mcptunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.mcptunnel.pki.KeyPassphrase;
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

  @Test
  void aConcurrentChangeMakesTheUpdateFailInsteadOfBeingOverwritten() {
    new KubernetesSecretOutput(client, "ns3", "s").write(DirectoryOutputTest.sample());
    KubernetesSecretOutput slow = new KubernetesSecretOutput(client, "ns3", "s");
    slow.read();
    KubernetesSecretOutput fast = new KubernetesSecretOutput(client, "ns3", "s");
    fast.read();
    Map<String, String> changed = DirectoryOutputTest.sample();
    changed.put(OutputKeys.TOKEN_VERSION, "fast");
    fast.write(changed);

    assertThatThrownBy(() -> slow.write(DirectoryOutputTest.sample()))
        .isInstanceOf(SetupException.class)
        .hasMessageStartingWith("k8s-secret:ns3/s: 409 ");
    assertThat(fast.read()).containsEntry(OutputKeys.TOKEN_VERSION, "fast");
  }

  @Test
  void anEncryptedCaKeyIsStoredAsItsPemAndRenewCertOpensItWithThePassphrase() {
    String domain = "abcd1234.tunnels.test";
    var ca = TunnelPki.newCa(domain);
    KeyPassphrase passphrase = KeyPassphrase.of("correct horse".toCharArray(), "test");
    Map<String, String> entries = new java.util.LinkedHashMap<>(DirectoryOutputTest.sample());
    entries.put(OutputKeys.TUNNEL_DOMAIN, domain);
    entries.put(OutputKeys.CA_CRT, io.mcptunnel.pki.PemFiles.toPem(ca.certificate()));
    entries.put(OutputKeys.CA_KEY, TunnelPki.caKeyPem(ca, passphrase));
    new KubernetesSecretOutput(client, "enc", "s").write(entries);

    Secret secret = client.secrets().inNamespace("enc").withName("s").get();
    assertThat(io.mcptunnel.pki.PemFiles.isEncrypted(
        new String(Base64.getDecoder().decode(secret.getData().get("ca.key")), StandardCharsets.UTF_8))).isTrue();
    assertThatThrownBy(() -> new RenewCert(java.time.Clock.systemUTC(), line -> { })
        .run(new RenewCert.Options(new KubernetesSecretOutput(client, "enc", "s"), null, null)))
        .hasMessage("k8s-secret:enc/s ca.key is encrypted and no passphrase was given");
    RenewCert.Result renewed = new RenewCert(java.time.Clock.systemUTC(), line -> { })
        .run(new RenewCert.Options(new KubernetesSecretOutput(client, "enc", "s"), null, null, passphrase));
    assertThat(renewed.renewed()).isTrue();
    assertThat(new KubernetesSecretOutput(client, "enc", "s").read().get(OutputKeys.CA_KEY))
        .isEqualTo(entries.get(OutputKeys.CA_KEY));
  }
}
