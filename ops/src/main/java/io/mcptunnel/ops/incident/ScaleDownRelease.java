package io.mcptunnel.ops.incident;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops a Helm release's pods by scaling its Deployments to 0: those labelled
 * {@code app.kubernetes.io/instance=<release>}, else the one named after the release. Scaling
 * (rather than uninstalling) keeps the release's objects for the investigation.
 */
public final class ScaleDownRelease implements Step {
  private final KubernetesClient client;
  private final String namespace;
  private final String release;

  public ScaleDownRelease(KubernetesClient client, String namespace, String release) {
    this.client = client;
    this.namespace = namespace;
    this.release = release;
  }

  @Override
  public String name() {
    return "scale down release " + namespace + "/" + release;
  }

  @Override
  public Result run() {
    var deployments = client.apps().deployments().inNamespace(namespace);
    List<Deployment> found = new ArrayList<>(deployments.withLabel("app.kubernetes.io/instance", release).list()
        .getItems());
    if (found.isEmpty()) {
      Deployment named = deployments.withName(release).get();
      if (named == null) {
        return Result.already("no Deployment of release " + release + " in namespace " + namespace
            + " (nothing running)");
      }
      found.add(named);
    }
    List<String> scaled = new ArrayList<>();
    List<String> idle = new ArrayList<>();
    for (Deployment d : found) {
      String name = d.getMetadata().getName();
      Integer replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
      if (replicas != null && replicas == 0) {
        idle.add(name);
        continue;
      }
      deployments.withName(name).edit(old -> new DeploymentBuilder(old).editOrNewSpec().withReplicas(0).endSpec()
          .build());
      scaled.add(name + " (was " + (replicas == null ? 1 : replicas) + ")");
    }
    if (scaled.isEmpty()) {
      return Result.already("Deployment " + String.join(", ", idle) + " already scaled to 0");
    }
    return Result.done("scaled Deployment " + String.join(", ", scaled) + " to 0");
  }
}
