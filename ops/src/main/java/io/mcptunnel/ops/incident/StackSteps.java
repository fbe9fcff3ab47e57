package io.mcptunnel.ops.incident;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mcptunnel.setup.DirectoryOutput;
import io.mcptunnel.setup.Output;
import io.mcptunnel.setup.OutputKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What incident and teardown share: how the local stack runs, and the tunnel it belongs to. */
public record StackSteps(List<Path> pidFiles, Duration grace, String kubeRelease, String namespace,
    Supplier<KubernetesClient> kubernetes, Path compose) {
  public StackSteps {
    pidFiles = List.copyOf(pidFiles);
    grace = grace == null ? Duration.ofSeconds(30) : grace;
  }

  /** One step per pid file, the release's Deployments, the Compose project. */
  public List<Step> stop(String composeAction) {
    List<Step> steps = new ArrayList<>();
    pidFiles.forEach(f -> steps.add(new StopPidFile(f, grace)));
    if (kubeRelease != null) {
      steps.add(new ScaleDownRelease(kubernetes.get(), namespace(), kubeRelease));
    }
    if (compose != null) {
      steps.add(new ComposeCommand(compose, composeAction));
    }
    return steps;
  }

  public String namespace() {
    if (namespace != null) {
      return namespace;
    }
    String configured = kubernetes.get().getNamespace();
    return configured != null ? configured : "default";
  }

  /** The tunnel the output names: id and domain, or why they cannot be read. */
  public record Stored(String tunnelId, String domain, Path directory, String problem) {
    public static Stored read(Output output) {
      Path dir = output instanceof DirectoryOutput d ? d.directory() : null;
      try {
        Map<String, String> entries = output.read();
        String id = trim(entries.get(OutputKeys.TUNNEL_ID));
        return new Stored(id, trim(entries.get(OutputKeys.TUNNEL_DOMAIN)), dir,
            id == null ? output.describe() + " holds no tunnel-id" : null);
      } catch (RuntimeException e) {
        return new Stored(null, null, dir, e.getMessage());
      }
    }

    private static String trim(String s) {
      return s == null || s.isBlank() ? null : s.trim();
    }
  }
}
