package io.mcptunnel.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mcptunnel.ops.incident.StackSteps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How the local stack runs, for {@code incident} and {@code teardown}: pid files of
 * {@code proxy run}/{@code connector run}, a Helm release, a Compose file. The Kubernetes client is
 * made only when a release is given, and closed after.
 */
final class StackOptions implements AutoCloseable {
  @Option(names = "--pid-file", paramLabel = "FILE",
      description = "Pid file of a `proxy run` / `connector run` to stop (SIGTERM, then SIGKILL after --grace-period);"
          + " repeatable. A pid now used by another program is left alone.")
  List<Path> pidFiles = new ArrayList<>();

  @Option(names = "--grace-period", paramLabel = "DURATION", defaultValue = "30s",
      converter = GoDurationConverter.class,
      description = "How long a stopped process may drain before SIGKILL (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(names = "--kube-release", paramLabel = "NAME",
      description = "Helm release: its Deployments are scaled to 0 (teardown also deletes its Secrets).")
  String kubeRelease;

  @Option(names = "--namespace", paramLabel = "NS",
      description = "Namespace of --kube-release (default: the kubeconfig's, else default).")
  String namespace;

  @Option(names = "--compose", paramLabel = "FILE",
      description = "Compose file of the stack: `docker compose -f FILE stop` (teardown: `down`).")
  Path compose;

  private KubernetesClient client;

  StackSteps steps() {
    return new StackSteps(pidFiles, grace, kubeRelease, namespace, this::kubernetes, compose);
  }

  synchronized KubernetesClient kubernetes() {
    if (client == null) {
      client = new KubernetesClientBuilder().build();
    }
    return client;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
