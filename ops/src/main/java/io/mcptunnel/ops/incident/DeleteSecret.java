package io.mcptunnel.ops.incident;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Deletes one Kubernetes Secret; a missing one is reported and ignored. */
public final class DeleteSecret implements Step {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;

  public DeleteSecret(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public String name() {
    return "delete Secret " + namespace + "/" + name;
  }

  @Override
  public Result run() {
    boolean deleted = !client.secrets().inNamespace(namespace).withName(name).delete().isEmpty();
    return deleted ? Result.done("deleted") : Result.already("not found (ignored)");
  }
}
