package io.mcptunnel.setup;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code k8s-secret:[NAMESPACE/]NAME}: one Opaque Secret whose keys are the {@link OutputKeys},
 * labelled {@code app.kubernetes.io/managed-by: mcptunnel}. A write replaces the whole data map in
 * one update carrying the resourceVersion that was read, so a concurrent change fails (409) rather
 * than being silently overwritten, and no stale key survives.
 */
public final class KubernetesSecretOutput implements Output {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private String resourceVersion;

  public KubernetesSecretOutput(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace != null ? namespace
        : client.getNamespace() != null ? client.getNamespace() : "default";
    this.name = name;
  }

  @Override
  public Map<String, String> read() {
    Secret secret = call(() -> client.secrets().inNamespace(namespace).withName(name).get());
    Map<String, String> entries = new LinkedHashMap<>();
    if (secret == null) {
      resourceVersion = null;
      return entries;
    }
    resourceVersion = secret.getMetadata().getResourceVersion();
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    for (String key : OutputKeys.ALL) {
      if (data.containsKey(key)) {
        entries.put(key, new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8));
      }
    }
    return entries;
  }

  @Override
  public void write(Map<String, String> entries) {
    if (resourceVersion == null) {
      read();
    }
    Map<String, String> data = new LinkedHashMap<>();
    entries.forEach((k, v) ->
        data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Secret secret = new SecretBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name)
        .withResourceVersion(resourceVersion).addToLabels(MANAGED_BY, "mcptunnel").endMetadata()
        .withType("Opaque").withData(data).build();
    Secret written = call(() -> resourceVersion == null
        ? client.secrets().inNamespace(namespace).resource(secret).create()
        : client.secrets().inNamespace(namespace).resource(secret).update());
    resourceVersion = written.getMetadata().getResourceVersion();
  }

  @Override
  public String describe() {
    return "k8s-secret:" + namespace + "/" + name;
  }

  private <T> T call(java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (KubernetesClientException e) {
      String reason = e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() : e.getMessage();
      throw new SetupException(describe() + ": " + e.getCode() + " " + firstLine(reason), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
